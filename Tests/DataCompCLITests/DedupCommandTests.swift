import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp dedup` on the dedup pool fixture against dedup/expected.json (numpy, from the rules'
/// definitions; Scripts/fixtures/dedup_fixtures.py).
@Suite struct DedupCommandTests {
    @Test(
        "dedup writes the exact, semantic and evaluation subsets",
        arguments: [
            (["--method", "exact"], "exact"),
            (
                ["--method", "semantic", "--centroids", Fixtures.path("dedup/centroids.npy"), "--keep", "easy"],
                "semantic_easy_0.95"
            ),
            (["--method", "evaluation", "--evaluation-embeddings", Fixtures.path("dedup/eval.npy")], "evaluation_0.9"),
        ])
    func writesSubsets(arguments: [String], expected: String) throws {
        let folder = try Fixtures.temporaryDirectory("dedup-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("subset.npy").path
        let run = try CommandRunner.run(
            ["dedup", "--metadata-dir", Fixtures.path("dedup/metadata"), "--save-path", output] + arguments)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            Array(try SubsetFile.read(from: output))
                == (try PoolFixtures.sampleIDs(in: "dedup/expected.json", at: expected)))
        let missing = try CommandRunner.run(
            ["dedup", "--metadata-dir", Fixtures.path("dedup/metadata"), "--save-path", output, "--method", "semantic"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("--centroids"))
    }
}
