import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

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
