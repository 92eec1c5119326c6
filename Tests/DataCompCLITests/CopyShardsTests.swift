import Foundation
import Testing
import _DataCompTestSupport

@Suite struct CopyShardsTests {
    @Test("copy-shards reproduces a TarWriter shard byte for byte and re-cuts by count")
    func copiesShards() throws {
        let input = Fixtures.path("webdataset/img2dataset.tar")
        let folder = try Fixtures.temporaryDirectory("copy-shards")
        let whole = folder.appendingPathComponent("whole").path
        // img2dataset.tar was written by webdataset 1.0.2's TarWriter with mtime=1700000000.
        var result = try CommandRunner.run(["copy-shards", whole, input, "--mtime", "1700000000"])
        #expect(result.status == 0, "\(result.standardError)")
        let copied = try Data(contentsOf: URL(fileURLWithPath: whole + "/00000000.tar"))
        #expect([UInt8](copied) == (try Fixtures.bytes("webdataset/img2dataset.tar")))

        let cut = folder.appendingPathComponent("cut").path
        result = try CommandRunner.run(["copy-shards", cut, input, input, "--max-count", "5"])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: cut).filter { $0.hasSuffix(".tar") }.sorted()
        #expect(files == ["00000000.tar", "00000001.tar", "00000002.tar"])
        let stats = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: cut + "/00000002_stats.json")))
        #expect((stats as? [String: Any])?["successes"] as? Int == 2)

        // A second run into the same folder is refused rather than mixing shards.
        result = try CommandRunner.run(["copy-shards", cut, input])
        #expect(result.status != 0)
        #expect(result.standardError.contains("already contains .tar shards"))
    }
}
