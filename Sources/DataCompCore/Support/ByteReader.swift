/// A bounds-checked little-endian cursor over raw bytes.
///
/// Every read checks the remaining length first and throws a ``DataCompError`` naming the byte
/// offset (relative to `baseOffset`) instead of trapping. The buffer must outlive the reader.
package struct ByteReader {
    package let bytes: UnsafeRawBufferPointer
    /// The current position, relative to the start of `bytes`.
    package var offset: Int
    /// Added to `offset` in error messages (the position of `bytes` inside its file).
    package var baseOffset: Int
    /// Used in error messages, for example "NPY header".
    package var context: String

    package init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0, baseOffset: Int = 0, context: String) {
        self.bytes = bytes
        self.offset = offset
        self.baseOffset = baseOffset
        self.context = context
    }

    package var remaining: Int { bytes.count - offset }
    package var isAtEnd: Bool { offset >= bytes.count }

    /// Throws `truncatedFile` unless `count` more bytes are available.
    package func require(_ count: Int, for what: String) throws {
        guard count >= 0, count <= remaining else {
            throw DataCompError(
                .truncatedFile,
                "\(context): the file ends while reading \(what): needed \(count) bytes, \(max(remaining, 0)) left",
                position: .offset(baseOffset + offset))
        }
    }

    package mutating func skip(_ count: Int, for what: String = "data") throws {
        try require(count, for: what)
        offset += count
    }

    package mutating func readBytes(_ count: Int, for what: String = "data") throws -> UnsafeRawBufferPointer {
        try require(count, for: what)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    package mutating func readInteger<T: FixedWidthInteger>(_: T.Type, for what: String = "integer") throws -> T {
        try require(MemoryLayout<T>.size, for: what)
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    package mutating func readUInt8(for what: String = "byte") throws -> UInt8 {
        try readInteger(UInt8.self, for: what)
    }

    package mutating func readUInt16(for what: String = "integer") throws -> UInt16 {
        try readInteger(UInt16.self, for: what)
    }

    package mutating func readUInt32(for what: String = "integer") throws -> UInt32 {
        try readInteger(UInt32.self, for: what)
    }

    package mutating func readUInt64(for what: String = "integer") throws -> UInt64 {
        try readInteger(UInt64.self, for: what)
    }

    /// Builds an error at the current position.
    package func error(_ code: DataCompError.Code, _ message: String, at position: Int? = nil) -> DataCompError {
        DataCompError(code, "\(context): \(message)", position: .offset(baseOffset + (position ?? offset)))
    }
}

extension ByteReader {
    /// Why an unsigned LEB128 integer could not be decoded.
    package enum LEB128Failure: Error {
        /// The bytes end before the integer's last byte.
        case truncated
        /// The integer is longer than 10 bytes or does not fit in 64 bits.
        case overflow
    }

    /// Decodes the unsigned LEB128 (varint) integer that starts at `offset` and moves `offset`
    /// past it: the one varint rule of the package (Thrift compact, Parquet RLE run headers,
    /// DELTA_BINARY_PACKED headers).
    ///
    /// At most 10 bytes are read, and the tenth may only carry
    /// the 64th bit.
    @inline(__always)
    package static func decodeULEB128(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> Result<
        UInt64, LEB128Failure
    > {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { return .failure(.truncated) }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { return .failure(.overflow) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return .success(result) }
            shift += 7
            if shift > 63 { return .failure(.overflow) }
        }
    }

    /// Reads an unsigned LEB128 integer (see ``decodeULEB128(_:at:)``).
    ///
    /// - Throws: ``DataCompError`` `truncatedFile` or `corruptData` naming the byte offset.
    package mutating func readULEB128(for what: String = "a variable-length integer") throws -> UInt64 {
        let start = offset
        switch Self.decodeULEB128(bytes, at: &offset) {
        case .success(let value): return value
        case .failure(.truncated):
            throw DataCompError(
                .truncatedFile, "\(context): the file ends while reading \(what)", position: .offset(baseOffset + start)
            )
        case .failure(.overflow):
            throw DataCompError(
                .corruptData, "\(context): \(what) overflows 64 bits", position: .offset(baseOffset + start))
        }
    }
}
