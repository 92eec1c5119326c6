/// Wire types of the Thrift compact protocol.
package enum ThriftType {
    package static let stop: UInt8 = 0
    package static let boolTrue: UInt8 = 1
    package static let boolFalse: UInt8 = 2
    package static let byte: UInt8 = 3
    package static let i16: UInt8 = 4
    package static let i32: UInt8 = 5
    package static let i64: UInt8 = 6
    package static let double: UInt8 = 7
    package static let binary: UInt8 = 8
    package static let list: UInt8 = 9
    package static let set: UInt8 = 10
    package static let map: UInt8 = 11
    package static let `struct`: UInt8 = 12
}

/// A bounds-checked decoder for the Thrift compact protocol (the encoding of Parquet metadata).
///
/// Every read checks the remaining length and throws a ``DataCompError`` naming the byte offset
/// (relative to `baseOffset`, the position of `bytes` in its file). Nesting is limited so that
/// corrupted input cannot exhaust the stack.
package struct ThriftCompactReader {
    package let bytes: UnsafeRawBufferPointer
    package var offset: Int = 0
    package let baseOffset: Int
    package let context: String
    private var depth = 0
    private static let maximumDepth = 48

    package init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int, context: String) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.context = context
    }

    package func error(_ message: String, code: DataCompError.Code = .corruptData) -> DataCompError {
        DataCompError(
            code, "\(context): \(message); the Thrift metadata is corrupted or the file is not Parquet",
            position: .offset(baseOffset + offset))
    }

    private func truncated(_ what: String) -> DataCompError {
        DataCompError(
            .truncatedFile, "\(context): the Thrift data ends while reading \(what)",
            position: .offset(baseOffset + offset))
    }

    package mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw truncated("a byte") }
        let value = bytes[offset]
        offset += 1
        return value
    }

    package mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw truncated("a variable-length integer") }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw error("a variable-length integer overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw error("a variable-length integer is longer than 10 bytes") }
        }
    }

    package mutating func readZigZag() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    package mutating func readI64(_ type: UInt8, field: String) throws -> Int64 {
        guard type == ThriftType.i64 || type == ThriftType.i32 || type == ThriftType.i16 else {
            throw error("field '\(field)' has wire type \(type), expected an integer")
        }
        return try readZigZag()
    }

    package mutating func readI32(_ type: UInt8, field: String) throws -> Int32 {
        guard type == ThriftType.i32 || type == ThriftType.i16 || type == ThriftType.i64 else {
            throw error("field '\(field)' has wire type \(type), expected an integer")
        }
        let value = try readZigZag()
        guard let narrow = Int32(exactly: value) else {
            throw error("field '\(field)' holds \(value), which does not fit in 32 bits")
        }
        return narrow
    }

    package mutating func readI16Raw() throws -> Int16 {
        let value = try readZigZag()
        guard let narrow = Int16(exactly: value) else { throw error("a field id \(value) does not fit in 16 bits") }
        return narrow
    }

    package func readBool(_ type: UInt8, field: String) throws -> Bool {
        guard type == ThriftType.boolTrue || type == ThriftType.boolFalse else {
            throw error("field '\(field)' has wire type \(type), expected a boolean")
        }
        return type == ThriftType.boolTrue
    }

    package mutating func readBinary() throws -> UnsafeRawBufferPointer {
        let length = try readVarint()
        guard length <= UInt64(bytes.count - offset) else {
            throw DataCompError(
                .truncatedFile,
                "\(context): a Thrift string of \(length) bytes runs past the end of the metadata (\(bytes.count - offset) bytes left)",
                position: .offset(baseOffset + offset))
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(length))])
        offset += Int(length)
        return slice
    }

    package mutating func readString(_ type: UInt8, field: String) throws -> String {
        guard type == ThriftType.binary else {
            throw error("field '\(field)' has wire type \(type), expected a string")
        }
        return String(decoding: try readBinary(), as: UTF8.self)
    }

    /// Reads a list header and returns the element count and type.
    package mutating func readListHeader(_ type: UInt8, field: String) throws -> (count: Int, elementType: UInt8) {
        guard type == ThriftType.list || type == ThriftType.set else {
            throw error("field '\(field)' has wire type \(type), expected a list")
        }
        let header = try readByte()
        var count = Int(header >> 4)
        if count == 15 {
            let wide = try readVarint()
            guard wide <= UInt64(Int32.max) else { throw error("a list of \(wide) elements is impossible") }
            count = Int(wide)
        }
        // Every element takes at least one byte, so a larger count cannot be real.
        guard count <= bytes.count - offset else {
            throw DataCompError(
                .truncatedFile,
                "\(context): a Thrift list of \(count) elements runs past the end of the metadata",
                position: .offset(baseOffset + offset))
        }
        return (count, header & 0x0F)
    }

    /// Reads the fields of a struct, calling `body` for each with its id and wire type; `body`
    /// must consume the value (or call ``skip(_:)``).
    package mutating func readStruct(_ body: (inout ThriftCompactReader, Int16, UInt8) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("structures are nested more than \(Self.maximumDepth) deep") }
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            let type = header & 0x0F
            if type == ThriftType.stop { return }
            let delta = header >> 4
            let id: Int16
            if delta == 0 {
                id = try readI16Raw()
            } else {
                let (sum, overflow) = lastID.addingReportingOverflow(Int16(delta))
                guard !overflow else { throw error("a field id overflows") }
                id = sum
            }
            lastID = id
            try body(&self, id, type)
        }
    }

    /// Skips one value of wire type `type`.
    package mutating func skip(_ type: UInt8) throws {
        switch type {
        case ThriftType.boolTrue, ThriftType.boolFalse:
            return
        case ThriftType.byte:
            _ = try readByte()
        case ThriftType.i16, ThriftType.i32, ThriftType.i64:
            _ = try readVarint()
        case ThriftType.double:
            guard bytes.count - offset >= 8 else { throw truncated("a double") }
            offset += 8
        case ThriftType.binary:
            _ = try readBinary()
        case ThriftType.list, ThriftType.set:
            let (count, elementType) = try readListHeader(type, field: "unknown")
            try nested {
                for _ in 0..<count {
                    if elementType == ThriftType.boolTrue || elementType == ThriftType.boolFalse {
                        _ = try $0.readByte()
                    } else {
                        try $0.skip(elementType)
                    }
                }
            }
        case ThriftType.map:
            let count = try readVarint()
            guard count <= UInt64(bytes.count - offset) else { throw truncated("a map") }
            if count == 0 { return }
            let types = try readByte()
            try nested {
                for _ in 0..<Int(count) {
                    try $0.skipElement(types >> 4)
                    try $0.skipElement(types & 0x0F)
                }
            }
        case ThriftType.struct:
            try readStruct { reader, _, fieldType in try reader.skip(fieldType) }
        default:
            throw error("unknown Thrift wire type \(type)")
        }
    }

    private mutating func skipElement(_ type: UInt8) throws {
        if type == ThriftType.boolTrue || type == ThriftType.boolFalse {
            _ = try readByte()
        } else {
            try skip(type)
        }
    }

    private mutating func nested(_ body: (inout ThriftCompactReader) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("values are nested more than \(Self.maximumDepth) deep") }
        try body(&self)
    }

    /// Reads a list of structs.
    package mutating func readStructList<T>(
        _ type: UInt8, field: String, _ element: (inout ThriftCompactReader) throws -> T
    ) throws -> [T] {
        let (count, elementType) = try readListHeader(type, field: field)
        guard elementType == ThriftType.struct else {
            throw error("list '\(field)' has element type \(elementType), expected structures")
        }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// Reads a list of integers.
    package mutating func readI32List(_ type: UInt8, field: String) throws -> [Int32] {
        let (count, elementType) = try readListHeader(type, field: field)
        var result: [Int32] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readI32(elementType, field: field)) }
        return result
    }

    /// Reads a list of strings.
    package mutating func readStringList(_ type: UInt8, field: String) throws -> [String] {
        let (count, elementType) = try readListHeader(type, field: field)
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readString(elementType, field: field)) }
        return result
    }
}

/// An encoder for the Thrift compact protocol, used by the Parquet writer.
package struct ThriftCompactWriter {
    package var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    package init() {}

    package mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    package mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func fieldHeader(_ id: Int16, _ type: UInt8) {
        let last = lastIDs[lastIDs.count - 1]
        let delta = Int(id) - Int(last)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            writeZigZag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    package mutating func beginStruct() { lastIDs.append(0) }

    package mutating func endStruct() {
        bytes.append(ThriftType.stop)
        lastIDs.removeLast()
    }

    package mutating func writeI32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, ThriftType.i32)
        writeZigZag(Int64(value))
    }

    package mutating func writeI64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, ThriftType.i64)
        writeZigZag(value)
    }

    package mutating func writeBool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? ThriftType.boolTrue : ThriftType.boolFalse)
    }

    package mutating func writeString(_ id: Int16, _ value: String) {
        fieldHeader(id, ThriftType.binary)
        let utf8 = Array(value.utf8)
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    package mutating func writeStructField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, ThriftType.struct)
        beginStruct()
        body(&self)
        endStruct()
    }

    package mutating func writeListHeader(_ id: Int16, count: Int, elementType: UInt8) {
        fieldHeader(id, ThriftType.list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xF0 | elementType)
            writeVarint(UInt64(count))
        }
    }

    package mutating func writeI32List(_ id: Int16, _ values: [Int32]) {
        writeListHeader(id, count: values.count, elementType: ThriftType.i32)
        for value in values { writeZigZag(Int64(value)) }
    }

    package mutating func writeStringList(_ id: Int16, _ values: [String]) {
        writeListHeader(id, count: values.count, elementType: ThriftType.binary)
        for value in values {
            let utf8 = Array(value.utf8)
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func writeStructList<T>(_ id: Int16, _ values: [T], _ body: (inout ThriftCompactWriter, T) -> Void) {
        writeListHeader(id, count: values.count, elementType: ThriftType.struct)
        for value in values {
            beginStruct()
            body(&self, value)
            endStruct()
        }
    }
}
