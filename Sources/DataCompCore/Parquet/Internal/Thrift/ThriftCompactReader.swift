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
        switch ByteReader.decodeULEB128(bytes, at: &offset) {
        case .success(let value): return value
        case .failure(.truncated): throw truncated("a variable-length integer")
        case .failure(.overflow): throw error("a variable-length integer overflows 64 bits")
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
        guard depth <= Self.maximumDepth else {
            throw error("structures are nested more than \(Self.maximumDepth) deep")
        }
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
