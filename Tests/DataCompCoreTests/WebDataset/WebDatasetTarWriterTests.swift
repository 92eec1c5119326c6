import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// The samples Scripts/fixtures/webdataset_fixtures.py handed to webdataset's TarWriter.
func writerInputs(_ shard: String) throws -> (mtime: Int, samples: [WebDatasetSample]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("webdataset/writer_inputs.json")))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let mtime = try #require(root["mtime"] as? Int)
    let list = try #require(root[shard] as? [[String: Any]])
    let samples = try list.map { entry in
        let key = try #require(entry["key"] as? String)
        let members = try #require(entry["members"] as? [[String]])
        return WebDatasetSample(
            key: key,
            members: try members.map {
                .init(fileExtension: $0[0], bytes: MemberBytes(try #require(Data(base64Encoded: $0[1]))))
            })
    }
    return (mtime, samples)
}

@Suite struct WebDatasetTarWriterTests {
    @Test(
        "Writes the same bytes as webdataset 1.0.2's TarWriter for the same samples and mtime",
        arguments: ["img2dataset.tar", "writer_pax.tar"])
    func matchesTarWriterBytes(shard: String) throws {
        // Reference: webdataset.TarWriter(stream, mtime=1700000000) on CPython 3.11.7; exact bytes.
        let (mtime, samples) = try writerInputs(shard)
        let expected = try Fixtures.bytes("webdataset/" + shard)
        let attributes = TarMemberAttributes(modificationTime: mtime)
        #expect(try WebDatasetTarWriter.archive(samples, attributes: attributes) == expected)

        let folder = try Fixtures.temporaryDirectory("tar-writer")
        let path = folder.appendingPathComponent(shard).path
        try WebDatasetTarWriter.write(samples, to: path, attributes: attributes)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    @Test("Members are written in code-point order of their extensions, metadata left out")
    func ordersMembersAndDropsMetadata() throws {
        var sample = WebDatasetSample(key: "k")
        sample["txt"] = MemberBytes(utf8: "t")
        sample["__url__"] = MemberBytes(utf8: "dropped")
        sample["Zed"] = MemberBytes(utf8: "z")
        sample["jpg"] = MemberBytes(utf8: "j")
        let folder = try Fixtures.temporaryDirectory("tar-order")
        let path = folder.appendingPathComponent("a.tar").path
        try WebDatasetTarWriter.write([sample], to: path, attributes: .init(modificationTime: 0))
        // Case-sensitive extensions are lower-cased on reading, as webdataset does.
        let read = try WebDatasetShardReader.readAll(path: path)
        #expect(read.map(\.fileExtensions) == [["zed", "jpg", "txt"]])
    }

    @Test("A sample with a repeated extension is rejected")
    func rejectsRepeatedExtension() {
        let sample = WebDatasetSample(
            key: "k", members: [.init(fileExtension: "txt", bytes: [1]), .init(fileExtension: "txt", bytes: [2])])
        #expect(throws: DataCompError.self) { try WebDatasetTarWriter.archive([sample]) }
    }
}

@Suite struct ShardWriterTests {
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
