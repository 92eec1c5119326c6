import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct ArrowArrayTests {
    @Test("A column is a collection of its rows across record batches")
    func collection() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/offsets.arrow"))
        let text = try file.column(named: "text")
        #expect(text.field == ArrowField(name: "text", type: .utf8))
        #expect(Array(text) == [.string("alpha"), .string("βeta"), .string("gamma")])
        #expect(text.nullCount == 0)
        let ids = try file.column(named: "ids")
        #expect(ids.map(\.arrayValue) == [[.int(7)], [.int(8), .int(9)], []])
        #expect(ids.indices == 0..<3)
    }

    @Test("Nulls are reported by isNull(at:) and nullCount, and read as .null")
    func nulls() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/primitives.arrow"))
        let nullColumn = try file.column(named: "null")
        #expect(nullColumn.count == 24)
        #expect(nullColumn.nullCount == 24)
        #expect(nullColumn.allSatisfy { $0 == .null })
        for column in file.columns {
            let nulls = column.indices.filter { column.isNull(at: $0) }
            #expect(nulls.count == column.nullCount, "\(column.field.name)")
            #expect(nulls.allSatisfy { column[$0] == .null }, "\(column.field.name)")
            #expect(column.indices.filter { column[$0] == .null }.count == nulls.count, "\(column.field.name)")
        }
    }

    @Test("Binary values are views of the file's mapping, not copies")
    func binaryValuesAreViews() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/hf_datasets.arrow"))
        let images = try file.column(named: "image")
        func address(_ value: ArrowValue) -> UnsafeRawPointer? {
            value[field: "bytes"]?.bytesValue?.withUnsafeBytes { $0.baseAddress }
        }
        let first = try #require(address(images[0]))
        // Two reads of a value see the same bytes, and consecutive values lie one after the other.
        #expect(address(images[0]) == first)
        let length = try #require(images[0][field: "bytes"]?.bytesValue?.count)
        #expect(address(images[2]) == first + length)
    }

    @Test("Struct values carry their schema's field names; a null struct is .null")
    func structs() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/nested.arrow"))
        let records = try file.column(named: "record")
        var nullRecords = 0
        for value in records {
            if value.isNull {
                nullRecords += 1
            } else {
                #expect(value.structFields?.map(\.name) == ["a", "b", "c"])
            }
        }
        #expect(nullRecords == records.nullCount)
        #expect(nullRecords > 0)
    }
}
