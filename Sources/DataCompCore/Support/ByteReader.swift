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
