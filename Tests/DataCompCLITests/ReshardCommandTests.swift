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
