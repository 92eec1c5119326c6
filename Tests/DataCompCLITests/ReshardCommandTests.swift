import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp reshard` against resharder.py's recorded run on the resharder fixture
/// (resharder/expected.json, run j2_size4).
@Suite struct ReshardCommandTests {
    @Test("reshard writes resharder.py's samples, stats, sample_ids.npy and meta.json; a rerun needs --overwrite")
    func reshards() throws {
        let folder = try Fixtures.temporaryDirectory("reshard-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let arguments = [
            "reshard", "-i", Fixtures.path("resharder/shards"), "-o", output, "-s",
            Fixtures.path("resharder/subset.npy"),
            "-j", "2", "--shard-size", "4",
        ]
        let run = try CommandRunner.run(arguments)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("output 49 images"))
        #expect(run.standardError.contains("12 images in the subset were not found in the input!"))
        #expect(run.standardError.contains("wrote 13 output shards"))
        let meta = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: output + "/meta.json")))
        #expect(meta["processed_count"]?.intValue == 44)
        #expect(meta["output_shard_count"]?.intValue == 13)
        let again = try CommandRunner.run(arguments)
        #expect(again.status != 0)
        #expect(again.standardError.contains("--overwrite"))
        let overwritten = try CommandRunner.run(arguments + ["--overwrite"])
        #expect(overwritten.status == 0, "\(overwritten.standardError)")
    }
}

extension ReshardCommandTests {
    /// Writes `shards` img2dataset-style shards of `samples` samples (a random 20 KB `jpg`, a
    /// `json` with the uid, a `txt`) and a subset holding every other uid, twice for every tenth.
    static func makeInput(in folder: URL, shards: Int, samples: Int) throws -> (input: String, subset: String) {
        let input = folder.appendingPathComponent("shards").path
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        var generator = SplitMix64(seed: 11)
        var chosen: [SampleID] = []
        let payload = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for shard in 0..<shards {
            let writer = try WebDatasetShardWriter(
                folder: input, options: .init(maxCount: samples, firstShard: shard, writesStatistics: false))
            for index in 0..<samples {
                let uid = SampleID(high: generator.next(), low: generator.next())
                let key = String(format: "%08d%04d", shard, index)
                try writer.write(
                    WebDatasetSample(
                        key: key,
                        members: [
                            .init(fileExtension: "jpg", bytes: MemberBytes(payload)),
                            .init(fileExtension: "json", bytes: MemberBytes(utf8: "{\"uid\": \"\(uid.hexString)\"}")),
                            .init(fileExtension: "txt", bytes: MemberBytes(utf8: "sample \(key)")),
                        ]))
                if index % 2 == 0 { chosen.append(uid) }
                if index % 20 == 0 { chosen.append(uid) }
            }
            try writer.finish()
            try Data("{\"successes\": \(samples)}".utf8).write(
                to: URL(fileURLWithPath: input + "/" + WebDatasetShardWriter.statisticsName(shard)))
        }
        let subset = folder.appendingPathComponent("subset.npy").path
        try SubsetFile.write(chosen, to: subset)
        return (input, subset)
    }

    @Test("A reshard killed mid-run leaves no partial shard and, run again, writes what an uninterrupted run writes")
    func killedAndRerun() throws {
        let folder = try Fixtures.temporaryDirectory("reshard-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (input, subset) = try Self.makeInput(in: folder, shards: 8, samples: 400)
        func arguments(_ output: String) -> [String] {
            [
                "reshard", "-i", input, "-o", folder.appendingPathComponent(output).path, "-s", subset, "-j", "2",
                "--shard-size", "150",
            ]
        }
        let reference = try CommandRunner.run(arguments("reference"))
        #expect(reference.status == 0, "\(reference.standardError)")
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments("killed")
        process.standardError = FileHandle.nullDevice
        try process.run()
        let state = folder.appendingPathComponent("killed/.reshard-state").path
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline,
            ((try? FileManager.default.contentsOfDirectory(atPath: state + "/unit-0")) ?? []).filter({
                $0.hasSuffix(".tar")
            }).isEmpty
        {
            Thread.sleep(forTimeInterval: 0.002)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let left =
            (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("killed").path)) ?? []
        // Killed after its first shard: only the state folder, never a partial output shard.
        #expect(left == [".reshard-state"], "\(left)")
        let rerun = try CommandRunner.run(arguments("killed"))
        #expect(rerun.status == 0, "\(rerun.standardError)")
        for name in ["reference", "killed"] {
            #expect(
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name)/.reshard-state").path))
        }
        let expected = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("reference").path
        )
        .filter { $0.hasSuffix(".tar") }.sorted()
        // Two workers of four shards, each 4 × (200 + 20) copies in tars of 150: 6 tars each.
        #expect(expected.count == 12)
        for name in expected {
            let a = try WebDatasetShardReader.readAll(path: folder.appendingPathComponent("reference/\(name)").path)
            let b = try WebDatasetShardReader.readAll(path: folder.appendingPathComponent("killed/\(name)").path)
            #expect(a.map(\.key) == b.map(\.key), "\(name)")
            #expect(a.map { $0.members.map(\.bytes) } == b.map { $0.members.map(\.bytes) }, "\(name)")
        }
    }
}
