/// How a field's data is laid out in record batches: the field, its dictionary encoding if it
/// has one, and the layouts of its children (in the order of ``ArrowDataType/children``).
struct ArrowFieldLayout: Sendable {
    let field: ArrowField
    /// The dictionary encoding: the field's buffers hold indices into the dictionary batch `id`,
    /// whose values have the field's type.
    let dictionary: (id: Int64, indexType: ArrowDataType)?
    let children: [ArrowFieldLayout]

    /// The layout of the field's values without the dictionary encoding: the layout of a
    /// dictionary batch's column.
    var valueLayout: ArrowFieldLayout { ArrowFieldLayout(field: field, dictionary: nil, children: children) }

    /// Every dictionary-encoded layout in this subtree, in preorder.
    var dictionaryEncoded: [ArrowFieldLayout] {
        (dictionary == nil ? [] : [self]) + children.flatMap(\.dictionaryEncoded)
    }
}

/// Decodes the flatbuffer `Schema` table of Arrow's Schema.fbs into an ``ArrowSchema``,
/// refusing the types the reader does not support with a message that says how to convert them.
enum ArrowSchemaDecoding {
    /// The deepest nesting of fields accepted (a guard against hostile metadata).
    static let maximumDepth = 64

    static func schema(_ table: FlatTable) throws -> (schema: ArrowSchema, layouts: [ArrowFieldLayout]) {
        let endianness = try table.scalar(0, Int16.self)
        guard endianness == 0 else {
            throw DataCompError(
                .unsupportedFormat,
                "the schema is big-endian, which is not supported; re-save it from pyarrow on a little-endian machine",
                position: .offset(table.buffer.baseOffset + table.position))
        }
        // Tables may be shared in a flatbuffer; the budget keeps a small buffer from describing
        // exponentially many fields.
        var budget = max(1024, table.buffer.bytes.count)
        let layouts = try table.tables(1, "Field").map { try field($0, path: "", depth: 0, budget: &budget) }
        var seen: [Int64: ArrowFieldLayout] = [:]
        for layout in layouts.flatMap(\.dictionaryEncoded) {
            guard let id = layout.dictionary?.id else { continue }
            if let other = seen[id], other.field.type != layout.field.type {
                throw DataCompError(
                    .invalidFormat,
                    "fields '\(other.field.name)' and '\(layout.field.name)' share dictionary \(id) but have different "
                        + "types; the file is corrupted",
                    position: .offset(table.buffer.baseOffset + table.position))
            }
            seen[id] = layout
        }
        return (ArrowSchema(fields: layouts.map(\.field), metadata: try metadata(table, id: 2)), layouts)
    }

    /// The key/value pairs of a `custom_metadata` vector (field `id`).
    static func metadata(_ table: FlatTable, id: Int) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in try table.tables(id, "KeyValue") {
            let key = try pair.lenientString(0, "a metadata key") ?? ""
            result[key] = try pair.lenientString(1, "a metadata value") ?? ""
        }
        return result
    }

    private static func field(_ table: FlatTable, path parent: String, depth: Int, budget: inout Int) throws
        -> ArrowFieldLayout
    {
        let position = table.buffer.baseOffset + table.position
        budget -= 1
        guard budget >= 0 else {
            throw DataCompError(
                .invalidFormat, "the schema describes more fields than its metadata can hold; the file is corrupted",
                position: .offset(position))
        }
        let name = try table.string(0, "a field name") ?? ""
        let path = parent.isEmpty ? name : parent + "." + name
        guard depth < maximumDepth else {
            throw DataCompError(
                .unsupportedFormat, "field '\(path)' is nested more than \(maximumDepth) levels deep",
                position: .offset(position))
        }
        func unsupported(_ what: String) -> DataCompError {
            DataCompError(
                .unsupportedFormat,
                "field '\(path)' has the Arrow type \(what), which is not supported; cast it to a supported type "
                    + "(integers, floats, bool, string, binary, lists, structs, dates and timestamps) with pyarrow "
                    + "(`table.cast(schema)`) and write the file again",
                position: .offset(position))
        }
        let dictionary = try dictionaryEncoding(table, path: path)
        let isNullable = try table.bool(1)
        let typeID = try table.scalar(2, UInt8.self)
        let childLayouts = try table.tables(5, "Field").map {
            try field($0, path: path, depth: depth + 1, budget: &budget)
        }
        let children = childLayouts.map(\.field)
        if dictionary != nil, childLayouts.contains(where: { !$0.dictionaryEncoded.isEmpty }) {
            throw DataCompError(
                .unsupportedFormat,
                "field '\(path)' is dictionary-encoded with dictionary-encoded values inside, which is not supported; "
                    + "decode the dictionaries with pyarrow (`pyarrow.compute.cast` to the value type) and write the "
                    + "file again",
                position: .offset(position))
        }
        let metadata = try metadata(table, id: 6)
        // An absent type table reads as one with every field at its default.
        let type = try table.table(3, "type")
        func scalar<T: FixedWidthInteger>(_ id: Int, _: T.Type, default value: T = 0) throws -> T {
            try type?.scalar(id, T.self, default: value) ?? value
        }
        func onlyChild(_ kind: String) throws -> ArrowField {
            guard children.count == 1 else {
                throw DataCompError(
                    .invalidFormat, "field '\(path)' is a \(kind) with \(children.count) child fields instead of 1",
                    position: .offset(position))
            }
            return children[0]
        }
        func timeUnit(_ raw: Int16) throws -> ArrowTimeUnit {
            switch raw {
            case 0: return .seconds
            case 1: return .milliseconds
            case 2: return .microseconds
            case 3: return .nanoseconds
            default:
                throw DataCompError(
                    .invalidFormat, "field '\(path)' has the unknown time unit \(raw)", position: .offset(position))
            }
        }
        let dataType: ArrowDataType
        switch typeID {
        case 1: dataType = .null
        case 2:
            let bitWidth = try scalar(0, Int32.self)
            let isSigned = try type?.bool(1) ?? false
            switch (bitWidth, isSigned) {
            case (8, true): dataType = .int8
            case (16, true): dataType = .int16
            case (32, true): dataType = .int32
            case (64, true): dataType = .int64
            case (8, false): dataType = .uint8
            case (16, false): dataType = .uint16
            case (32, false): dataType = .uint32
            case (64, false): dataType = .uint64
            default:
                throw DataCompError(
                    .invalidFormat, "field '\(path)' is an integer of \(bitWidth) bits", position: .offset(position))
            }
        case 3:
            switch try scalar(0, Int16.self) {
            case 0: dataType = .float16
            case 1: dataType = .float32
            case 2: dataType = .float64
            case let precision:
                throw DataCompError(
                    .invalidFormat, "field '\(path)' has the unknown float precision \(precision)",
                    position: .offset(position))
            }
        case 4: dataType = .binary
        case 5: dataType = .utf8
        case 6: dataType = .bool
        case 7: throw unsupported("decimal")
        case 8:
            switch try scalar(0, Int16.self, default: 1) {
            case 0: dataType = .date32
            case 1: dataType = .date64
            case let unit:
                throw DataCompError(
                    .invalidFormat, "field '\(path)' has the unknown date unit \(unit)", position: .offset(position))
            }
        case 9:
            let unit = try timeUnit(try scalar(0, Int16.self, default: 1))
            let bitWidth = try scalar(1, Int32.self, default: 32)
            switch (bitWidth, unit) {
            case (32, .seconds), (32, .milliseconds): dataType = .time32(unit)
            case (64, .microseconds), (64, .nanoseconds): dataType = .time64(unit)
            default:
                throw DataCompError(
                    .invalidFormat, "field '\(path)' is a \(bitWidth)-bit time in \(unit)", position: .offset(position))
            }
        case 10:
            let unit = try timeUnit(try scalar(0, Int16.self))
            dataType = .timestamp(unit, timeZone: try type?.string(1, "a time zone"))
        case 11: throw unsupported("interval")
        case 12: dataType = .list(try onlyChild("list"))
        case 13: dataType = .struct(children)
        case 14: throw unsupported("union")
        case 15:
            let width = try scalar(0, Int32.self)
            guard width >= 0 else {
                throw DataCompError(
                    .invalidFormat, "field '\(path)' is a fixed-size binary of \(width) bytes",
                    position: .offset(position))
            }
            dataType = .fixedSizeBinary(byteWidth: Int(width))
        case 16:
            let size = try scalar(0, Int32.self)
            guard size >= 0 else {
                throw DataCompError(
                    .invalidFormat, "field '\(path)' is a fixed-size list of \(size) values",
                    position: .offset(position))
            }
            dataType = .fixedSizeList(try onlyChild("fixed-size list"), size: Int(size))
        case 17: throw unsupported("map")
        case 18: dataType = .duration(try timeUnit(try scalar(0, Int16.self, default: 1)))
        case 19: dataType = .largeBinary
        case 20: dataType = .largeUTF8
        case 21: dataType = .largeList(try onlyChild("large list"))
        case 22: throw unsupported("run-end encoded")
        case 23: throw unsupported("binary view")
        case 24: throw unsupported("string view")
        case 25: throw unsupported("list view")
        case 26: throw unsupported("large list view")
        default:
            throw DataCompError(
                .invalidFormat, "field '\(path)' has the unknown type id \(typeID)", position: .offset(position))
        }
        return ArrowFieldLayout(
            field: ArrowField(name: name, type: dataType, isNullable: isNullable, metadata: metadata),
            dictionary: dictionary, children: childLayouts)
    }

    /// A field's `DictionaryEncoding` (field 4): the dictionary id and the index type.
    private static func dictionaryEncoding(_ table: FlatTable, path: String) throws -> (
        id: Int64, indexType: ArrowDataType
    )? {
        guard let encoding = try table.table(4, "DictionaryEncoding") else { return nil }
        let position = encoding.buffer.baseOffset + encoding.position
        let kind = try encoding.scalar(3, Int16.self)
        guard kind == 0 else {
            throw DataCompError(
                .unsupportedFormat, "field '\(path)' uses the dictionary kind \(kind), which is not supported",
                position: .offset(position))
        }
        // An absent index type means int32.
        guard let indexTable = try encoding.table(1, "Int") else { return (try encoding.scalar(0, Int64.self), .int32) }
        let bitWidth = try indexTable.scalar(0, Int32.self)
        let isSigned = try indexTable.bool(1)
        let indexType: ArrowDataType
        switch (bitWidth, isSigned) {
        case (8, true): indexType = .int8
        case (16, true): indexType = .int16
        case (32, true): indexType = .int32
        case (64, true): indexType = .int64
        case (8, false): indexType = .uint8
        case (16, false): indexType = .uint16
        case (32, false): indexType = .uint32
        case (64, false): indexType = .uint64
        default:
            throw DataCompError(
                .invalidFormat, "field '\(path)' has dictionary indices of \(bitWidth) bits",
                position: .offset(position))
        }
        return (try encoding.scalar(0, Int64.self), indexType)
    }
}
