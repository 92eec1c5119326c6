import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

/// The resharder against the recorded runs of DataComp's resharder.py (webdataset 0.2.31, the
/// pinned stack) on the same inputs (Scripts/fixtures/resharder_fixtures.py,
/// resharder/expected.json): the same multiset of output samples (key, member bytes), counters,
/// per-shard counts and stats files, the same `meta.json` keys, and each worker's samples in
/// the same order.
@Suite struct ResharderTests {
    struct Run: Sendable, CustomTestStringConvertible {
        var name: String
        var object: [String: SendableJSON]
        var testDescription: String { name }
    }

    /// A JSON value that crosses test-case boundaries.
    struct SendableJSON: @unchecked Sendable { var value: Any }

    nonisolated(unsafe) static let expected: [String: Any] =
        (try? PoolFixtures.jsonObject("resharder/expected.json")) ?? [:]

    static func runs(_ group: String, _ names: [String]) -> [Run] {
        let runs = expected[group] as? [String: [String: Any]] ?? [:]
        return names.map { name in Run(name: name, object: (runs[name] ?? [:]).mapValues { SendableJSON(value: $0) }) }
    }

    /// Options from resharder.py's arguments.
    static func resharder(_ arguments: [String], in root: String, output: String) -> Resharder {
        var options = Resharder.Options(workerCount: 1)
        var input = "", subset = ""
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch flag {
            case "-i": input = root + "/" + value
            case "-s": subset = root + "/" + value
            case "-j": options.workerCount = Int(value) ?? 1
            case "--shard-size": options.shardSize = Int(value) ?? 0
            case "-n": options.inputShardCount = Int(value)
            case "--first-shard": options.firstShard = Int(value) ?? 0
            case "-v":
                index += 1
                continue
            default: break
            }
            index += 2
        }
        return Resharder(inputDirectory: input, outputDirectory: output, subsetPath: subset, options: options)
    }

    /// Every sample of every output tar: key and the sha256 of each member, per shard in order.
    static func outputShards(_ folder: String, count: Int) throws -> [[[String: String]]] {
        try (0..<count).map { number in
            var reader = try WebDatasetShardReader(path: folder + "/" + WebDatasetShardWriter.shardName(number))
            var samples: [[String: String]] = []
            while let sample = try reader.next() {
                var entry = ["key": sample.key]
                for member in sample.members { entry[member.fileExtension] = SHA256.hash(member.bytes.array).hexString }
                samples.append(entry)
            }
            return samples
        }
    }

    static func flatten(_ samples: [[String: Any]]) -> [[String: String]] {
        samples.map { sample in
            var entry = ["key": sample["key"] as? String ?? ""]
            for (ext, digest) in sample["members"] as? [String: String] ?? [:] { entry[ext] = digest }
            return entry
        }
    }

    static func sortedKeys(_ samples: [[String: String]]) -> [String] {
        samples.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }.sorted()
    }

    @Test(
        "Writes what resharder.py writes",
        arguments: runs(
            "runs",
            [
                "j2_size4", "j1_default", "raw_subset_j2_size5", "first_shard_2", "n_2", "verbose_j2_size8",
                "shard_size_0",
            ])
            + runs("bad", ["truncated_tar", "odd_uids", "shard_table"]))
    func matchesResharderPy(run: Run) async throws {
        let object = run.object.mapValues(\.value)
        let root = Fixtures.path(
            run.name.hasPrefix("j") || run.name.contains("_size") || run.name == "first_shard_2" || run.name == "n_2"
                ? "resharder" : "resharder/bad/\(run.name)")
        let folder = try Fixtures.temporaryDirectory("reshard")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let resharder = Self.resharder(object["args"] as? [String] ?? [], in: root, output: output)
        let report = try await resharder.run()
        let counters = object["meta_counters"] as? [String: Int] ?? [:]
        #expect(report.processedCount == counters["processed_count"])
        #expect(report.outputCount == counters["output_count"])
        #expect(report.outputShardCount == counters["output_shard_count"])
        let shards = try Self.outputShards(output, count: report.outputShardCount)
        #expect(shards.map(\.count).sorted() == (object["shard_sample_counts_sorted"] as? [Int] ?? []))
        #expect(
            Self.sortedKeys(shards.flatMap { $0 })
                == Self.sortedKeys(Self.flatten(object["samples"] as? [[String: Any]] ?? [])))
        // Each worker's samples in the same order (our shards are numbered in worker order).
        if let workers = object["worker_shard_contents"] as? [[[String]]] {
            #expect(shards.flatMap { $0.map { $0["key"] ?? "" } } == workers.flatMap { $0.flatMap { $0 } })
        }
        for (number, shard) in shards.enumerated() {
            let stats = try String(
                contentsOfFile: output + "/" + WebDatasetShardWriter.statisticsName(number), encoding: .utf8)
            #expect(stats == "{\"successes\": \(shard.count)}")
        }
        let subsetPath = resharder.subsetPath
        #expect(try Fixtures.bytes(atPath: output + "/sample_ids.npy") == (try Fixtures.bytes(atPath: subsetPath)))
        let meta = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: output + "/meta.json")))
        #expect(meta.objectMembers?.map(\.0) == (object["meta_keys"] as? [String]))
        #expect(meta["worker_success"]?.intValue == counters["worker_success"])
        #expect(!FileManager.default.fileExists(atPath: output + "/.reshard-state"))
    }

    @Test("An unsorted subset, a subset of another dtype and broken statistics are errors before anything is written")
    func refusedInputs() async throws {
        for (name, code) in [
            ("subset_unsorted", DataCompError.Code.unsortedData), ("subset_plain_uint64", .dtypeMismatch),
            ("stats_not_json", .invalidFormat), ("stats_without_successes", .invalidFormat),
            ("no_shards", .fileNotFound),
            ("all_stats_missing", .fileNotFound), ("raw_subset_odd_size", .invalidFormat),
        ] {
            let root = Fixtures.path("resharder/bad/\(name)")
            let folder = try Fixtures.temporaryDirectory("reshard-bad")
            defer { try? FileManager.default.removeItem(at: folder) }
            let subset = FileManager.default.fileExists(atPath: root + "/subset.u16") ? "subset.u16" : "subset.npy"
            let output = folder.appendingPathComponent("out").path
            let resharder = Resharder(
                inputDirectory: root + "/shards", outputDirectory: output, subsetPath: root + "/" + subset,
                options: .init(workerCount: 1))
            let error = await #expect(throws: DataCompError.self, "\(name)") { try await resharder.run() }
            if name != "raw_subset_odd_size" { #expect(error?.code == code, "\(name): \(String(describing: error))") }
            #expect(error?.path != nil, "\(name) names a file")
            let written = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            #expect(written.filter { !$0.hasPrefix(".") }.isEmpty, "\(name) wrote \(written)")
        }
    }

    @Test("A non-empty output folder is refused; --overwrite really empties it")
    func outputFolder() async throws {
        let folder = try Fixtures.temporaryDirectory("reshard-overwrite")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: output + "/subfolder", withIntermediateDirectories: true)
        for stale in ["00000099.tar", "00000099_stats.json", "notes.txt"] {
            try Data("stale".utf8).write(to: URL(fileURLWithPath: output + "/" + stale))
        }
        var resharder = Resharder(
            inputDirectory: Fixtures.path("resharder/shards"), outputDirectory: output,
            subsetPath: Fixtures.path("resharder/subset.npy"), options: .init(workerCount: 2, shardSize: 4))
        let refused = await #expect(throws: DataCompError.self) { try await resharder.run() }
        #expect(refused?.message.contains("--overwrite") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).count == 4)
        resharder.options.overwrite = true
        let report = try await resharder.run()
        let names = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(!names.contains("notes.txt") && !names.contains("subfolder") && !names.contains("00000099.tar"))
        // The tars, their stats, sample_ids.npy, meta.json and reshard_report.json.
        #expect(names.count == 2 * report.outputShardCount + 3)
        #expect(report.notFoundCount == 12)
        #expect(report.skippedSamples.count == 2)
        #expect(report.missingShards == ["00000003.tar"])
    }

    @Test("An interrupted run resumes: finished workers are kept and the output equals an uninterrupted run")
    func resumes() async throws {
        let folder = try Fixtures.temporaryDirectory("reshard-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        func resharder(_ name: String) -> Resharder {
            Resharder(
                inputDirectory: Fixtures.path("resharder/shards"),
                outputDirectory: folder.appendingPathComponent(name).path,
                subsetPath: Fixtures.path("resharder/subset.npy"), options: .init(workerCount: 2, shardSize: 4))
        }
        let reference = try await resharder("reference").run()
        var interrupted = resharder("resumed")
        interrupted.runsOnlyUnits = { $0 == 1 }
        await #expect(throws: CancellationError.self) { try await interrupted.run() }
        let state = folder.appendingPathComponent("resumed/.reshard-state").path
        #expect(FileManager.default.fileExists(atPath: state + "/unit-1/done.json"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("resumed").path) == [
                ".reshard-state"
            ])
        // Another subset may not resume this state.
        var other = resharder("resumed")
        other.subsetPath = Fixtures.path("resharder/bad/odd_uids/subset.npy")
        let mismatch = await #expect(throws: DataCompError.self) { try await other.run() }
        #expect(mismatch?.message.contains("interrupted run") == true)
        let resumed = try await resharder("resumed").run()
        #expect(resumed.outputShardSampleCounts == reference.outputShardSampleCounts)
        let a = try Self.outputShards(
            folder.appendingPathComponent("reference").path, count: reference.outputShardCount)
        let b = try Self.outputShards(folder.appendingPathComponent("resumed").path, count: resumed.outputShardCount)
        #expect(a == b)
    }
}
