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
