import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// One file's entry in Resources/safetensors/expected.json (safetensors 0.8.0, numpy, PyTorch
/// 2.13 via Scripts/fixtures/safetensors_fixtures.py; exact values).
struct ExpectedSafetensors {
    struct Entry {
        var dataType: String
        var shape: [Int]
        var source: [Double]?
        var values: [Double]
        var intValues: [Int64]
    }

    var metadata: [String: String]?
    var order: [String]
    var tensors: [String: Entry]

    static func load() throws -> [String: ExpectedSafetensors] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("safetensors/expected.json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(root["files"] as? [String: [String: Any]])
        return try files.mapValues { file in
            let tensors = try #require(file["tensors"] as? [String: [String: Any]])
            return ExpectedSafetensors(
                metadata: file["metadata"] as? [String: String],
                order: try #require(file["order"] as? [String]),
                tensors: try tensors.mapValues { entry in
                    let dtype = try #require(entry["dtype"] as? String)
                    let strings = entry["values"] as? [String] ?? []
                    return Entry(
                        dataType: dtype, shape: try #require(entry["shape"] as? [Int]),
                        source: entry["source"] as? [Double], values: entry["values"] as? [Double] ?? [],
                        intValues: strings.compactMap { Int64($0) })
                })
        }
    }
}

@Suite struct SafetensorsFileTests {
    static let files = [
        "f32.safetensors", "f16.safetensors", "bf16.safetensors", "i64.safetensors", "mixed.safetensors",
    ]

    @Test("Reads names, dtypes, shapes, metadata and values as the safetensors package wrote them", arguments: files)
    func readsFixtures(name: String) throws {
        let expected = try #require(try ExpectedSafetensors.load()[name])
        let file = try SafetensorsFile(path: Fixtures.path("safetensors/" + name))
        #expect(file.tensors.map(\.name) == expected.order)
        #expect(
            file.metadata.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value) }) } == expected.metadata)
        #expect(file.dataStart % 8 == 0)
        for info in file.tensors {
            let reference = try #require(expected.tensors[info.name])
            #expect(info.dataType.rawValue == reference.dataType)
            #expect(info.shape == reference.shape)
            if info.dataType == .int64 {
                #expect(try file.int64Values(named: info.name) == reference.intValues)
                #expect(throws: DataCompError.self) { try file.tensor(named: info.name) }
            } else {
                let tensor = try file.tensor(named: info.name)
                #expect(tensor.shape == reference.shape)
                #expect(tensor.scalars == reference.values.map(Float.init), "\(info.name)")
            }
        }
        #expect(throws: DataCompError.self) { try file.tensor(named: "missing") }
    }

    @Test("Writes byte-identical files to the safetensors package for the same tensors", arguments: files)
    func writesIdenticalBytes(name: String) throws {
        let all = try ExpectedSafetensors.load()
        let expected = try #require(all[name])
        var tensors: [SafetensorsTensor] = []
        func make(_ tensorName: String, _ entry: ExpectedSafetensors.Entry) throws -> SafetensorsTensor {
            let dataType = try #require(SafetensorsDataType(rawValue: entry.dataType))
            if dataType == .int64 {
                return SafetensorsTensor(name: tensorName, int64Values: entry.intValues, shape: entry.shape)
            }
            // Sources are float32 values rounded by numpy/PyTorch on the Python side.
            let source = Tensor(shape: entry.shape, scalars: (entry.source ?? entry.values).map(Float.init))
            return SafetensorsTensor(name: tensorName, tensor: source, dataType: dataType)
        }
        if name == "mixed.safetensors" {
            for (fileName, file) in all where fileName != name {
                let prefix = try #require(file.tensors.values.first?.dataType.lowercased())
                for (tensorName, entry) in file.tensors { tensors.append(try make(prefix + "/" + tensorName, entry)) }
            }
            tensors.append(
                SafetensorsTensor(name: "caf\u{E9} \"q\"\t", tensor: Tensor(shape: [2], scalars: [1.5, -2])))
        } else {
            for (tensorName, entry) in expected.tensors { tensors.append(try make(tensorName, entry)) }
        }
        let path = try Fixtures.temporaryDirectory("safetensors").appendingPathComponent(name).path
        try SafetensorsFile.write(tensors.shuffled(), metadata: expected.metadata, to: path)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == (try Fixtures.bytes("safetensors/" + name)))
    }

    @Test("Rejects duplicate and reserved tensor names")
    func rejectsBadNames() throws {
        let path = try Fixtures.temporaryDirectory("safetensors-names").appendingPathComponent("x.safetensors").path
        let tensor = SafetensorsTensor(name: "a", int64Values: [1])
        #expect(throws: DataCompError.self) { try SafetensorsFile.write([tensor, tensor], to: path) }
        let reserved = SafetensorsTensor(name: "__metadata__", int64Values: [1])
        #expect(throws: DataCompError.self) { try SafetensorsFile.write([reserved], to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite struct SafetensorsCorruptionTests {
    static func open(_ bytes: [UInt8], at path: String) throws -> Result<SafetensorsFile, DataCompError> {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do { return .success(try SafetensorsFile(path: path)) } catch let error as DataCompError {
            return .failure(error)
        }
    }

    static func header(_ json: String, data: Int) -> [UInt8] {
        var bytes = withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { Array($0) }
        bytes += Array(json.utf8) + [UInt8](repeating: 0, count: data)
        return bytes
    }

    @Test(
        "Invalid headers throw the documented error code naming the tensor",
        arguments: [
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4, "corruptData", "a"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "corruptData", "a"),
            (
                #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#,
                6, "corruptData", "b"
            ),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 2, "truncatedFile", ""),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 5, "corruptData", ""),
            (#"{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}"#, 1, "unsupportedDataType", "a"),
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "invalidFormat", "a"),
            (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, 4, "corruptData", "a"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, 4, "corruptData", "a"),
            (
                #"{"a":{"dtype":"F32","shape":[2305843009213693950],"data_offsets":[0,9223372036854775800]}}"#, 4,
                "truncatedFile", ""
            ),
            (#"{"__metadata__":{"k":1}}"#, 0, "invalidFormat", "__metadata__"),
            // Expected codes below mirror safetensors 0.8.0's SafetensorError cases (checked with
            // safe_open): serde_json rejects these where Foundation's JSONSerialization would not.
            (#"{"a":{"dtype":"U8","shape":[1,],"data_offsets":[0,1]}}"#, 1, "invalidFormat", ""),
            (#"{"a":{"dtype":"U8","shape":[01],"data_offsets":[0,1]}}"#, 1, "invalidFormat", ""),
            (#"{"a":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}}"#, 1, "invalidFormat", "a"),
            (#"{"a":{"dtype":"U8","shape":[-0],"data_offsets":[0,0]}}"#, 0, "invalidFormat", "a"),
            (#"{"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, 1, "invalidFormat", "a"),
            (#"{"__metadata__":{},"__metadata__":{}}"#, 0, "invalidFormat", "__metadata__"),
            (#"{"\ud800":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, 1, "invalidFormat", ""),
            (#"{"a":{"shape":[1],"data_offsets":[0,1]}}"#, 1, "invalidFormat", "a"),
            (#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,1]}}"#, 1, "invalidFormat", "a"),
            (#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"# + "\u{0}", 1, "invalidFormat", ""),
            (#"{"a":"# + String(repeating: "[", count: 5000), 0, "invalidFormat", ""),
            (#"[1,2]"#, 0, "invalidFormat", ""),
            (#"{"a":"#, 0, "invalidFormat", ""),
        ])
    func invalidHeaders(json: String, data: Int, code: String, member: String) throws {
        let path = try Fixtures.temporaryDirectory("safetensors-bad").appendingPathComponent("bad.safetensors").path
        guard case .failure(let error) = try Self.open(Self.header(json, data: data), at: path) else {
            Issue.record("expected an error for \(json)")
            return
        }
        #expect(error.code.description == code)
        #expect(error.path == path)
        if !member.isEmpty { #expect(error.position == .member(member)) }
    }

    @Test("Headers that the Rust crate accepts are accepted")
    func lenientHeaders() throws {
        // Each was accepted by safetensors 0.8.0's safe_open: leading whitespace, unknown fields,
        // null metadata, escaped names, a repeated tensor name (the last entry wins).
        let path = try Fixtures.temporaryDirectory("safetensors-ok").appendingPathComponent("ok.safetensors").path
        let cases: [(String, Int, [String])] = [
            (#" {"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"# + "\t\r\n", 1, ["a"]),
            (#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":[1.5,{"x":null}]}}"#, 1, ["a"]),
            (#"{"__metadata__":null,"a\u00e9\/":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}"#, 1, ["a\u{E9}/"]),
            (
                #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#,
                1, ["a"]
            ),
            (#"{}"#, 0, []),
        ]
        for (json, data, names) in cases {
            switch try Self.open(Self.header(json, data: data), at: path) {
            case .success(let file):
                #expect(file.tensors.map(\.name) == names, "\(json)")
                #expect(file.metadata == nil)
            case .failure(let error):
                Issue.record("rejected \(json): \(error)")
            }
        }
    }

    @Test("Short files and impossible header lengths are reported")
    func shortFiles() throws {
        let path = try Fixtures.temporaryDirectory("safetensors-short").appendingPathComponent("s.safetensors").path
        for bytes in [
            [UInt8](), [1, 2, 3], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [200, 0, 0, 0, 0, 0, 0, 0, 0x7B],
        ] {
            guard case .failure(let error) = try Self.open(bytes, at: path) else {
                Issue.record("expected an error for \(bytes)")
                continue
            }
            #expect(error.code == .truncatedFile || error.code == .invalidFormat)
        }
    }

    @Test("Thousands of mutated and truncated files only ever throw DataCompError")
    func randomizedCorruption() throws {
        let originals = try SafetensorsFileTests.files.map { try Fixtures.bytes("safetensors/" + $0) }
        let path = try Fixtures.temporaryDirectory("safetensors-fuzz").appendingPathComponent("f.safetensors").path
        var random = SplitMix64(seed: 0x5AFE)
        var failures = 0
        for round in 0..<2000 {
            var bytes = originals[round % originals.count]
            if Bool.random(using: &random) {
                bytes = Array(bytes[..<Int.random(in: 0..<bytes.count, using: &random)])
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<min(bytes.count, 400), using: &random)
                    bytes[index] =
                        [0x30, 0x39, 0x2C, 0x5B, 0x22, 0x00, 0xFF, UInt8.random(in: 0...255, using: &random)]
                        .randomElement(using: &random) ?? 0
                }
            }
            switch try Self.open(bytes, at: path) {
            case .success(let file):
                for info in file.tensors where info.dataType != .int64 { _ = try? file.tensor(named: info.name) }
            case .failure(let error):
                failures += 1
                #expect(error.path == path)
            }
        }
        #expect(failures > 1000)
    }
}
