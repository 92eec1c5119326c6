import DataCompEval
import DataCompTraining
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp evaluate` with a small ViT CLIP (OpenCLIP's initialisation, full vocabulary) on the
/// evaluation fixtures: DataComp's results file, resumption, and a run killed mid-task.
@Suite struct EvaluateCommandTests {
    /// A `mini-ViT` checkpoint at 64 px written into `folder`.
    static func checkpoint(in folder: URL) throws -> (config: String, weights: String) {
        var configuration = try CLIPConfiguration.named("mini-ViT")
        configuration.vision.imageSize = 64
        configuration.vision.patchSize = 16
        let config = folder.appendingPathComponent("model_config.json").path
        try configuration.json.serialized(indent: 2).write(toFile: config, atomically: true, encoding: .utf8)
        let weights = folder.appendingPathComponent("weights.safetensors").path
        try CLIPParameters(initializingFor: configuration, seed: 3).write(to: weights)
        return (config, weights)
    }

    @Test("evaluate writes DataComp's rows for the tasks present, resumes, and refuses unknown or absent tasks")
    func evaluate() throws {
        let folder = try Fixtures.temporaryDirectory("evaluate-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (config, weights) = try Self.checkpoint(in: folder)
        let output = folder.appendingPathComponent("out").path
        let arguments = [
            "evaluate", "--checkpoint", weights, "--model-config", config, "--data-dir", Fixtures.path("eval/evalsets"),
            "--output-dir", output, "--batch-size", "8", "--bootstrap-resamples", "50",
        ]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        let results = try String(contentsOfFile: output + "/eval_results.jsonl", encoding: .utf8).split(separator: "\n")
        // The 13 DataComp tasks of the fixture folder (the multi-label set is no DataComp task), in
        // tasklist.yml order: 12 scored (WinoGAViL from the Hugging Face cache) and FairFace,
        // which evaluate.py also computes.
        #expect(results.count == 13)
        let keys = try results.map { try JSONValue(parsing: String($0))["key"]?.stringValue ?? "" }
        #expect(keys == EvaluationTask.all.map(\.key).filter { keys.contains($0) })
        #expect(first.standardError.contains("26 of 38 eval sets are absent"))
        #expect(first.standardOutput.contains("PARTIAL: 12 of DataComp's 38 scored tasks"))
        let intervals = try String(contentsOfFile: output + "/eval_intervals.jsonl", encoding: .utf8).split(
            separator: "\n")
        #expect(intervals.count == 12)

        let again = try CommandRunner.run(arguments)
        #expect(again.status == 0)
        #expect(again.standardError.components(separatedBy: "skipped").count - 1 == 13)
        #expect(
            try String(contentsOfFile: output + "/eval_results.jsonl", encoding: .utf8).split(separator: "\n")
                == results)

        // Resuming the folder with another checkpoint is refused (evaluate.py's info.pkl check).
        var other = try CLIPParameters(initializingFor: try CLIPConfiguration(contentsOfFile: config), seed: 4)
        other.clampLogitScale()
        let otherWeights = folder.appendingPathComponent("other.safetensors").path
        try other.write(to: otherWeights)
        var mixed = arguments
        mixed[2] = otherWeights
        let refused = try CommandRunner.run(mixed)
        #expect(refused.status != 0 && refused.standardError.contains("another checkpoint"))

        let unknown = try CommandRunner.run(arguments + ["--tasks", "cifar10,nope"])
        #expect(unknown.status != 0 && unknown.standardError.contains("nope"))
        let absent = try CommandRunner.run(arguments + ["--tasks", "imagenet1k"])
        #expect(absent.status != 0 && absent.standardError.contains("wds_imagenet1k_test"))
    }

    @Test(
        "a run killed with SIGKILL mid-task leaves a valid results file, and the rerun resumes after the finished tasks"
    )
    func killed() throws {
        let folder = try Fixtures.temporaryDirectory("evaluate-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (config, weights) = try Self.checkpoint(in: folder)
        // Task 1: the fixture's KITTI set (12 images). Task 2: a CIFAR-10 set of 1,500 images, long
        // enough that the kill (as soon as task 1's row is written) lands inside it.
        let data = folder.appendingPathComponent("evalsets")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("eval/evalsets/wds_vtab-kitti_closest_vehicle_distance_test"),
            toPath: data.appendingPathComponent("wds_vtab-kitti_closest_vehicle_distance_test").path)
        try TinyClassificationSet.write(
            in: data, name: "wds_cifar10_test", classNames: (0..<10).map { "class \($0)" }, count: 1500)
        let output = folder.appendingPathComponent("out").path
        let arguments = [
            "evaluate", "--checkpoint", weights, "--model-config", config, "--data-dir", data.path, "--output-dir",
            output,
            "--tasks", "vtab/kitti_closest_vehicle_distance,cifar10", "--batch-size", "4", "--num-workers", "1",
        ]
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let results = output + "/eval_results.jsonl"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning,
            (try? String(contentsOfFile: results, encoding: .utf8))?.contains("\n") != true
        {
            usleep(2000)
        }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "the run ended before it could be killed")
        let rows = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1)
        let first = try JSONValue(parsing: String(rows[0]))
        #expect(first["key"]?.stringValue == "vtab/kitti_closest_vehicle_distance")
        let rerun = try CommandRunner.run(arguments)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.standardError.contains("KITTI Vehicle Distance: already in"))
        let final = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
        #expect(final.count == 2 && final[0] == rows[0])
    }
}

/// A classification eval set of one-colour JPEG images with cycling labels.
enum TinyClassificationSet {
    static func write(in root: URL, name: String, classNames: [String], count: Int) throws {
        let directory = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("test"), withIntermediateDirectories: true)
        try (classNames.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("classnames.txt"), atomically: true, encoding: .utf8)
        try "a photo of a {c}.\na drawing of a {c}.\n".write(
            to: directory.appendingPathComponent("zeroshot_classification_templates.txt"), atomically: true,
            encoding: .utf8)
        var samples: [WebDatasetSample] = []
        for index in 0..<count {
            let pixels: [UInt8] = (0..<(16 * 16)).flatMap { position -> [UInt8] in
                [UInt8((index * 7 + position) % 256), UInt8((index * 13) % 256), UInt8(position % 256)]
            }
            let jpeg = try Image(width: 16, height: 16, mode: .rgb, pixels: pixels).jpegData(quality: 90)
            samples.append(
                WebDatasetSample(
                    key: String(format: "s%07d", index),
                    members: [
                        .init(fileExtension: "jpg", bytes: MemberBytes(jpeg)),
                        .init(fileExtension: "cls", bytes: MemberBytes(utf8: String(index % classNames.count))),
                    ]))
        }
        try WebDatasetTarWriter.write(samples, to: directory.appendingPathComponent("test/0.tar").path)
        try "1\n".write(to: directory.appendingPathComponent("test/nshards.txt"), atomically: true, encoding: .utf8)
    }
}
