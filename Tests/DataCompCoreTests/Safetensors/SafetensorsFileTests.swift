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

    @Test("writing tensors from their storage gives the same file as writing their bytes")
    func borrowedWrite() throws {
        let folder = try Fixtures.temporaryDirectory("safetensors-borrowed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = Tensor(shape: [2, 3], scalars: [1, -2.5, 3, .infinity, 0, -0.0])
        let b = Tensor(shape: [4], scalars: [0.1, 0.2, 0.3, 0.4])
        let copied = folder.appendingPathComponent("copied.safetensors").path
        let borrowed = folder.appendingPathComponent("borrowed.safetensors").path
        try SafetensorsFile.write(
            [
                SafetensorsTensor(name: "b.weight", tensor: b), SafetensorsTensor(name: "a", tensor: a),
                SafetensorsTensor(name: "bn.num_batches_tracked", int64Values: [7], shape: []),
            ], metadata: ["step": "3"], to: copied)
        try SafetensorsFile.write(
            float32: [("b.weight", b), ("a", a)], int64: [("bn.num_batches_tracked", [7], [])], metadata: ["step": "3"],
            to: borrowed)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copied)) == Data(contentsOf: URL(fileURLWithPath: borrowed)))
        #expect(throws: DataCompError.self) {
            try SafetensorsFile.write(float32: [("a", a), ("a", b)], to: borrowed)
        }
    }
}
