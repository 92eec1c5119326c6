// Keeps the English samples of a pool whose sidecar score is high enough and writes them as a
// DataComp subset file. The language is an extra column of the pool's own metadata files; the
// score lives in sidecar files (<stem>.parquet with uid + dfn_score, one per metadata shard).
//
// Usage: pool-filter METADATA_DIR SIDECAR_DIR MIN_SCORE OUTPUT.npy

import DataComp
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 5, let minimum = Float(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: pool-filter METADATA_DIR SIDECAR_DIR MIN_SCORE OUTPUT.npy\n".utf8))
    exit(2)
}

// Declare what is read: DataComp's uid, an extra Parquet column and a sidecar score.
let language = PoolColumn.metadata("language", .string)
let score = PoolColumn.sidecar("dfn_score", in: arguments[2], .float)

do {
    let pool = try CandidatePool(metadataDirectory: arguments[1])
    var kept: [SampleID] = []
    var seen = 0
    try pool.forEachBatch(columns: [.uid, language, score]) { batch in
        let languages = batch.strings(language)
        let scores = batch.floats(score)
        let english = RowMask(count: batch.count) { languages[$0] == "en" }
        let confident = RowMask(count: batch.count) { scores[$0] >= minimum }
        kept += batch.selecting(english & confident).uids
        seen += batch.count
    }
    try SubsetFile.write(kept, to: arguments[4])
    print("kept \(kept.count) of \(seen) samples -> \(arguments[4])")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
