import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Reads a raw little-endian fixture written by Scripts/fixtures/tensor_fixtures.py.
func littleEndianFixture<T: FixedWidthInteger>(_ name: String, as: T.Type) throws -> [T] {
    let bytes = try Fixtures.bytes("tensor/" + name)
    return stride(from: 0, to: bytes.count, by: MemoryLayout<T>.size).map { offset in
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}

func jsonFixture(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tensor/" + name)))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func matrix(_ value: Any?) throws -> Tensor {
    let rows = try #require(value as? [[Double]])
    return Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0.map(Float.init) })
}
