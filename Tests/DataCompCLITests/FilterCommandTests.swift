import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct FilterCommandTests {
    /// Expected: DataComp's `clip_score` and `no_filter` as pandas computes them
    /// (filters/expected.json, filters_fixtures.py), uid for uid.
    @Test("filter writes the clip_score subset and its report; underscore flags are accepted")
    func clipScore() throws {
        let folder = try Fixtures.temporaryDirectory("filter-cli")
        let output = folder.appendingPathComponent("out/l14_30.npy").path
        let result = try CommandRunner.run([
            "filter", "--name", "clip_score", "--metadata_dir", PoolFixtures.metadata, "--save_path", output,
            "--fraction", "0.3", "--arch", "l14", "--num_workers", "2",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("kept 37 of 120 samples"))
        let uids = try PoolFixtures.sampleIDs(in: "filters/expected.json", at: "pool", "clip_l14_fraction_0.3", "uids")
        #expect(Array(try SubsetFile.read(from: output)) == uids)
        let shown = try CommandRunner.run(["subset", "show", output, "--report"])
        #expect(shown.status == 0, "\(shown.standardError)")
        let report = try JSONValue(parsing: shown.standardOutput)
        #expect(report["samples_kept"]?.intValue == 37)
        #expect(report["strategy"]?.stringValue == "clip_l14_similarity_score in the top 30% of the pool")

        let all = folder.appendingPathComponent("all.npy").path
        let none = try CommandRunner.run([
            "filter", "--name", "no_filter", "--metadata-dir", PoolFixtures.metadata, "--save-path", all,
        ])
        #expect(none.status == 0, "\(none.standardError)")
        #expect(try SubsetFile.read(from: all).count == 120)
    }

    /// Expected: DataComp's basic_filter rules with fastText 0.9.2 and lid.176.ftz
    /// (language/expected.json, language_fixtures.py), uid for uid.
    @Test("filter --name basic_filter keeps what DataComp's basic filter keeps")
    func basicFilter() throws {
        let folder = try Fixtures.temporaryDirectory("filter-basic")
        let output = folder.appendingPathComponent("basic.npy").path
        let result = try CommandRunner.run([
            "filter", "--name", "basic_filter", "--metadata_dir", PoolFixtures.metadata, "--save_path", output,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try PoolFixtures.sampleIDs(in: "language/expected.json", at: "basic_filter_uids")
        #expect(expected.count == 32)
        #expect(Array(try SubsetFile.read(from: output)) == expected)
    }

    @Test(
        "Arguments are checked as baselines.py's check_args, with the fix in the message",
        arguments: [
            (["--name", "clip_score", "--arch", "l14"], "--fraction or --threshold must be specified"),
            (["--name", "clip_score", "--arch", "l14", "--fraction", "0.3", "--threshold", "0.2"], "but not both"),
            (["--name", "clip_score", "--fraction", "0.3"], "specify the architecture"),
            (["--name", "no_filter", "--fraction", "0.3"], "--fraction is only used by clip_score"),
            (["--name", "no_filter", "--arch", "b32"], "--arch is only used by clip_score"),
            (["--name", "clip_score", "--arch", "l14", "--fraction", "1.5"], "must be in (0, 1]"),
            (["--name", "clip_score", "--arch", "l14", "--fraction", "0"], "must be in (0, 1]"),
            (["--name", "clip_score", "--arch", "h14", "--fraction", "0.3"], "--arch must be b32 or l14"),
            (
                ["--name", "best_filter"],
                "--name must be one of: no_filter, basic_filter, text_based, image_based, image_based_intersect_clip_score, clip_score, laion2b"
            ),
        ])
    func checkArgs(arguments: [String], message: String) throws {
        let folder = try Fixtures.temporaryDirectory("filter-args")
        let output = folder.appendingPathComponent("never.npy").path
        let result = try CommandRunner.run(
            ["filter", "--metadata-dir", PoolFixtures.metadata, "--save-path", output] + arguments)
        #expect(result.status != 0)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output), "no subset file on failure")
    }

    @Test("A truncated metadata file or a missing folder is an error that leaves no subset file")
    func unreadablePool() throws {
        let pool = try PoolFixtures.copy(PoolFixtures.metadata)
        let names = try FileManager.default.contentsOfDirectory(atPath: pool).filter { $0.hasSuffix(".parquet") }
            .sorted()
        let victim = pool + "/" + names[1]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: victim))
        let output = (pool as NSString).deletingLastPathComponent + "/never.npy"
        let result = try CommandRunner.run([
            "filter", "--name", "clip_score", "--metadata-dir", pool, "--save-path", output, "--arch", "b32",
            "--threshold", "0.1",
        ])
        #expect(result.status != 0)
        #expect(result.standardError.contains(names[1]), "the error names the file: \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let missing = try CommandRunner.run([
            "filter", "--name", "no_filter", "--metadata-dir", pool + "/nope", "--save-path", output,
        ])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
