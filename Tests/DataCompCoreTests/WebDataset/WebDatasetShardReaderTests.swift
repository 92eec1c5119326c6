import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// What Python webdataset read from one fixture tar.
struct ExpectedShard: Sendable {
    var samples: [(key: String, members: [(String, [UInt8])])]
    var error: String?

    /// Loads `Resources/webdataset/expected.json` (written by Scripts/fixtures/webdataset_fixtures.py with
    /// webdataset 1.0.2 on CPython 3.11.7; exact bytes, no tolerance).
    static func load() throws -> [String: ExpectedShard] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("webdataset/expected.json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tars = try #require(root["tars"] as? [String: [String: Any]])
        var result: [String: ExpectedShard] = [:]
        for (name, entry) in tars {
            let samples = try #require(entry["samples"] as? [[String: Any]])
            result[name] = ExpectedShard(
                samples: try samples.map { sample in
                    let key = try #require(sample["key"] as? String)
                    let members = try #require(sample["members"] as? [[String]])
                    return (key, try members.map { ($0[0], [UInt8](try #require(Data(base64Encoded: $0[1])))) })
                },
                error: entry["error"] as? String)
        }
        return result
    }
}

@Suite struct WebDatasetShardReaderTests {
    static let readableShards = [
        "img2dataset.tar", "writer_pax.tar", "gnu_long_names.tar", "pax.tar", "pax_size.tar", "base256_size.tar",
        "ustar_prefix.tar",
        "edge.tar",
    ]

    @Test("Reads each fixture exactly as Python webdataset 1.0.2 does", arguments: readableShards)
    func readsLikeWebDataset(name: String) throws {
        let expected = try #require(try ExpectedShard.load()[name])
        #expect(expected.error == nil)
        let path = Fixtures.path("webdataset/" + name)
        let samples = try WebDatasetShardReader.readAll(path: path)
        #expect(samples.count == expected.samples.count)
        for (sample, reference) in zip(samples, expected.samples) {
            #expect(sample.key == reference.key)
            #expect(sample.url == path)
            #expect(sample.fileExtensions == reference.members.map(\.0))
            for (member, (_, bytes)) in zip(sample.members, reference.members) {
                #expect(member.bytes.array == bytes, "member \(sample.key).\(member.fileExtension)")
            }
        }
    }

    @Test("A repeated extension throws where webdataset raises ValueError")
    func duplicateExtensionThrows() throws {
        let expected = try #require(try ExpectedShard.load()["duplicate.tar"])
        #expect(expected.error?.contains("duplicate file name") == true)
        let path = Fixtures.path("webdataset/duplicate.tar")
        var reader = try WebDatasetShardReader(path: path)
        let error = try #require(throws: DataCompError.self) { try reader.next() }
        #expect(error.code == .corruptData)
        #expect(error.path == path)
        #expect(error.position == .memberOffset("k.TXT", 2048))
        #expect(try reader.next() == nil)
    }

    @Test("The nothrow policy starts a new sample at a repeated extension, like OpenCLIP")
    func duplicateExtensionStartsNewSample() throws {
        let samples = try WebDatasetShardReader.readAll(
            path: Fixtures.path("webdataset/duplicate.tar"), duplicatePolicy: .startNewSample)
        #expect(samples.map(\.key) == ["k", "k"])
        #expect(samples.map(\.fileExtensions) == [["txt", "jpg"], ["txt"]])
        #expect(samples[1]["txt"]?.array == Array("three".utf8))
    }

    @Test("Key splitting follows webdataset's base_plus_ext regular expression")
    func splitsKeysLikeBasePlusExt() {
        // Expected values: re.match(r"^((?:.*/|)[^.]+)[.]([^/]*)$", name) in CPython 3.11.
        let cases: [(String, String?, String?)] = [
            ("000000000001.jpg", "000000000001", "jpg"),
            ("a/b.c.d", "a/b", "c.d"),
            ("x.y/z.jpg", "x.y/z", "jpg"),
            ("dir/.hidden", "dir/", "hidden"),
            ("a.b/c", nil, nil),
            ("nodot", nil, nil),
            (".jpg", nil, nil),
            ("a/b.", "a/b", ""),
            ("a\n/b.c", "a\n/b", "c"),
        ]
        for (name, key, ext) in cases {
            let split = WebDatasetShardReader.splitKey(name)
            #expect(split?.key == key, "\(name)")
            #expect(split?.fileExtension == ext, "\(name)")
        }
    }

    @Test("Metadata names are skipped like webdataset's tar_file_iterator")
    func skipsMetadataNames() {
        for name in ["__meta__", "___", "__", "__a__/b.txt", "__a__b__"] {
            #expect(WebDatasetShardReader.isMetadataName(name), "\(name)")
        }
        for name in ["__x__.txt", "_a_", "a/__b__", "__a.txt"] {
            #expect(!WebDatasetShardReader.isMetadataName(name), "\(name)")
        }
    }

    @Test("An archive of only end-of-archive blocks has no samples")
    func emptyArchiveHasNoSamples() throws {
        let folder = try Fixtures.temporaryDirectory("tar-empty")
        let path = folder.appendingPathComponent("empty.tar").path
        try AtomicFile.write([UInt8](repeating: 0, count: 10240), to: path)
        #expect(try WebDatasetShardReader.readAll(path: path).isEmpty)
        try AtomicFile.write([UInt8](), to: path)
        let error = try #require(throws: DataCompError.self) { try WebDatasetShardReader.readAll(path: path) }
        #expect(error.code == .invalidFormat)
    }
}
