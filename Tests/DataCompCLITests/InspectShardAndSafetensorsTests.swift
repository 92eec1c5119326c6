import Foundation
import Testing
import _DataCompTestSupport

@Suite struct InspectShardAndSafetensorsTests {
    static func json(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test("inspect summarizes a tar shard as webdataset groups it")
    func summarizesTar() throws {
        // Counts from Resources/webdataset/expected.json (webdataset 1.0.2).
        let result = try CommandRunner.run(["inspect", Fixtures.path("webdataset/img2dataset.tar")])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try Self.json(result.standardOutput)
        #expect(summary["format"] as? String == "webdataset")
        #expect(summary["samples"] as? Int == 6)
        #expect(summary["members"] as? Int == 18)
        #expect(summary["extensions"] as? [String: Int] == ["jpg": 6, "json": 6, "txt": 6])
        #expect((summary["first_keys"] as? [String])?.first == "000000000000")
        #expect(summary["file_bytes"] as? Int == 30720)
    }

    @Test("inspect reports a damaged tar as an error naming the member")
    func reportsDuplicate() throws {
        let result = try CommandRunner.run(["inspect", Fixtures.path("webdataset/duplicate.tar")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("member 'k.TXT'"))
    }

    @Test("inspect lists a safetensors file's tensors in file order with metadata")
    func summarizesSafetensors() throws {
        // Order and dtypes from Resources/safetensors/expected.json (safetensors 0.8.0).
        let result = try CommandRunner.run(["inspect", Fixtures.path("safetensors/f32.safetensors")])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try Self.json(result.standardOutput)
        #expect(summary["format"] as? String == "safetensors")
        #expect(summary["metadata"] as? [String: String] == ["format": "pt"])
        let tensors = try #require(summary["tensors"] as? [[String: Any]])
        #expect(tensors.compactMap { $0["name"] as? String } == ["bias", "empty", "scalar", "weight"])
        #expect(tensors.compactMap { $0["shape"] as? [Int] } == [[4], [0, 3], [], [3, 4]])
        #expect(tensors.allSatisfy { $0["dtype"] as? String == "F32" })
    }
}
