// Composes a rule of your own with DataComp's basic_filter baseline and a CLIP-score cut, runs it
// over a pool and writes the subset with its report. The rule: faces (DataComp's face_bboxes,
// fractions of the image) cover at most a given share of the image.
//
// Usage: custom-filter METADATA_DIR OUTPUT.npy [MAX_FACE_AREA]

import DataComp
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: custom-filter METADATA_DIR OUTPUT.npy [MAX_FACE_AREA]\n".utf8))
    exit(2)
}
let maximumFaceArea = arguments.count == 4 ? Double(arguments[3]) ?? 0.2 : 0.2

// A per-sample rule: it declares the column it reads and decides one row at a time.
let smallFaces = SampleRule(
    "faces cover at most \(maximumFaceArea) of the image", reading: [.faceBoxes],
    parameters: [("max_face_area", .double(maximumFaceArea))]
) { batch, row in
    let area = batch.faceBoxes.boxes(at: row).reduce(0) { total, box in
        total + max(0, box[2] - box[0]) * max(0, box[3] - box[1])
    }
    return area <= maximumFaceArea
}

do {
    let pool = try CandidatePool(metadataDirectory: arguments[1])
    // DataComp's basic_filter (with fastText), then the new rule, then a CLIP L/14 score cut.
    let basic = try DataCompBaseline(name: .basicFilter).strategy(resolver: .commandLine())
    let strategy = basic && smallFaces && ScoreFilter(.clipL14Score, .atLeast(0.2))
    let result = try await strategy.run(on: pool, progress: TerminalProgressReporter())
    try result.write(to: arguments[2])  // and OUTPUT.report.json beside it
    for rule in result.report.rules {
        print("\(rule.rule): kept \(rule.kept) of \(rule.seen)")
    }
    print("kept \(result.report.samplesKept) of \(result.report.samplesSeen) samples -> \(arguments[2])")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
