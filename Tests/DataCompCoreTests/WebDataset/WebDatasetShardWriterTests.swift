import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct WebDatasetShardWriterTests {
    static func makeSamples(_ count: Int, size: Int) -> [WebDatasetSample] {
        (0..<count).map { index in
            let key = String(repeating: "0", count: 12 - String(index).count) + String(index)
            return WebDatasetSample(
                key: key,
                members: [
                    .init(fileExtension: "txt", bytes: MemberBytes(utf8: "caption \(index)")),
                    .init(
                        fileExtension: "jpg", bytes: MemberBytes([UInt8](repeating: UInt8(index % 251), count: size))),
                ])
        }
    }

    @Test("Rolls to a new shard by sample count and writes img2dataset-style statistics")
    func rollsByCount() throws {
        let folder = try Fixtures.temporaryDirectory("shards-count")
        let writer = try WebDatasetShardWriter(
            folder: folder.path, options: .init(maxCount: 4, attributes: .init(modificationTime: 0)))
        let samples = Self.makeSamples(10, size: 100)
        for sample in samples { try writer.write(sample) }
        let shards = try writer.finish()
        #expect(shards.map(\.sampleCount) == [4, 4, 2])
        #expect(shards.map(\.number) == [0, 1, 2])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(
            files == [
                "00000000.tar", "00000000_stats.json", "00000001.tar", "00000001_stats.json", "00000002.tar",
                "00000002_stats.json",
            ])
        var reread: [WebDatasetSample] = []
        for shard in shards { reread += try WebDatasetShardReader.readAll(path: shard.path) }
        #expect(reread.map(\.key) == samples.map(\.key))
        #expect(reread.map { $0["jpg"] } == samples.map { $0["jpg"] })
        // Each shard equals what the one-file writer produces for its samples.
        let second = try [UInt8](Data(contentsOf: URL(fileURLWithPath: shards[1].path)))
        #expect(second == (try WebDatasetTarWriter.archive(samples[4..<8], attributes: .init(modificationTime: 0))))

        let statsData = try Data(contentsOf: folder.appendingPathComponent("00000002_stats.json"))
        let text = String(decoding: statsData, as: UTF8.self)
        // img2dataset writes json.dump(stats, f, indent=4): this key order, 4-space indent.
        #expect(
            text.hasPrefix(
                "{\n    \"count\": 2,\n    \"successes\": 2,\n    \"failed_to_download\": 0,\n    \"failed_to_resize\": 0,\n    \"duration\": "
            ))
        #expect(text.hasSuffix("\"status_dict\": {\n        \"success\": 2\n    }\n}"))
        let object = try #require(try JSONSerialization.jsonObject(with: statsData) as? [String: Any])
        #expect(object["successes"] as? Int == 2)
    }

    @Test("Rolls to a new shard once the payload reaches maxSize, like webdataset")
    func rollsBySize() throws {
        let folder = try Fixtures.temporaryDirectory("shards-size")
        // Each sample has 1000 + 9 payload bytes; webdataset checks size >= maxsize before writing.
        let writer = try WebDatasetShardWriter(
            folder: folder.path, options: .init(maxCount: 100, maxSize: 2500, writesStatistics: false))
        for sample in Self.makeSamples(7, size: 1000) { try writer.write(sample) }
        let shards = try writer.finish()
        #expect(shards.map(\.sampleCount) == [3, 3, 1])
        #expect(shards.map(\.payloadBytes) == [3027, 3027, 1009])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 3)
    }

    @Test("No shard and no temporary file remain when nothing is written or the writer is dropped")
    func leavesNothingBehind() throws {
        let folder = try Fixtures.temporaryDirectory("shards-none")
        do {
            let writer = try WebDatasetShardWriter(folder: folder.path)
            #expect(try writer.finish().isEmpty)
        }
        do {
            let writer = try WebDatasetShardWriter(folder: folder.path)
            try writer.write(Self.makeSamples(1, size: 10)[0])
        }
        do {
            let writer = try WebDatasetShardWriter(folder: folder.path)
            let bad = WebDatasetSample(
                key: "k", members: [.init(fileExtension: "txt", bytes: [1]), .init(fileExtension: "txt", bytes: [2])])
            #expect(throws: DataCompError.self) { try writer.write(bad) }
            #expect(try writer.finish().isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(throws: DataCompError.self) { try WebDatasetShardWriter(folder: folder.path + "/missing") }
    }
}
