import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct DemoCommandTests {
    @Test("The demo writes a subset, resharded shards and a pixel batch that agree with each other")
    func demoOutputsAgree() throws {
        let folder = try Fixtures.temporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("demo").path
        let result = try CommandRunner.run([
            "demo", "--output", output, "--samples", "60", "--shard-size", "16", "--size", "32",
        ])
        #expect(result.status == 0, "\(result.standardError)")

        let subset = try SubsetFile.read(from: output + "/subset.npy")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/report.json")))
                as? [String: Any])
        let dropped = try #require((report["subset"] as? [String: Any])?["dropped"] as? [String: Int])
        // Every pool sample is either kept or dropped for exactly one reason.
        #expect(subset.count + dropped.values.reduce(0, +) == 60)
        #expect(subset.count > 0 && subset.count < 60)

        // The resharded shards hold exactly the subset's uids, keyed <uid>-0 as resharder.py does.
        var keys: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: output + "/resharded").sorted()
        where name.hasSuffix(".tar") {
            var reader = try WebDatasetShardReader(path: output + "/resharded/" + name)
            while let sample = try reader.next() { keys.append(sample.key) }
        }
        #expect(keys.sorted() == subset.map { $0.hexString + "-0" }.sorted())

        let pixels = try SafetensorsFile(path: output + "/pixels.safetensors")
        #expect(pixels.info(named: "pixel_values")?.shape == [subset.count, 3, 32, 32])
    }
}
