/// A column of strings stored as one contiguous UTF-8 buffer with offsets, without one
/// allocation per row.
///
/// String `i` is `bytes[offsets[i]..<offsets[i + 1]]`. The buffer may be shared with other
/// batches of the same row group (copy-on-write), so `offsets` need not start at zero.
public struct PoolStrings: Sendable, Equatable, RandomAccessCollection {
    /// The UTF-8 bytes of the strings (possibly more, shared with other batches).
    public let bytes: [UInt8]
    /// `count + 1` non-decreasing offsets into ``bytes``.
    public let offsets: [Int]

    /// Creates a column from a buffer and offsets.
    ///
    /// - Parameters:
    ///   - bytes: The UTF-8 bytes.
    ///   - offsets: `count + 1` non-decreasing offsets into `bytes`.
    /// - Precondition: The offsets are non-decreasing and inside `bytes`.
    public init(bytes: [UInt8], offsets: [Int]) {
        precondition(!offsets.isEmpty, "offsets need count + 1 entries")
        precondition((offsets.first ?? 0) >= 0 && (offsets.last ?? 0) <= bytes.count, "offsets outside the buffer")
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Creates a column from strings (UTF-8 encoded).
    ///
    /// - Parameter strings: The values.
    public init(_ strings: some Sequence<String>) {
        var bytes: [UInt8] = []
        var offsets = [0]
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(bytes.count)
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    /// The index of the first string (always 0).
    public var startIndex: Int { 0 }
    /// The number of strings.
    public var endIndex: Int { offsets.count - 1 }

    /// String `index`, decoded from UTF-8 (invalid sequences become U+FFFD).
    ///
    /// - Parameter index: A row in `0..<count`.
    public subscript(index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]]), as: UTF8.self)
        }
    }

    /// The UTF-8 bytes of string `index`.
    ///
    /// - Parameter index: A row in `0..<count`.
    /// - Returns: A slice of ``bytes`` (no copy).
    public func utf8(at index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    /// Calls `body` with the UTF-8 bytes of every string in turn, without creating `String`s.
    ///
    /// - Parameter body: Receives the row and its bytes; the bytes must not escape.
    /// - Throws: Whatever `body` throws.
    public func forEachUTF8(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { buffer in
            for index in 0..<count {
                try body(index, UnsafeRawBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]]))
            }
        }
    }

    /// The strings of `rows`, sharing this column's buffer.
    package func slice(_ rows: Range<Int>) -> PoolStrings {
        PoolStrings(bytes: bytes, offsets: Array(offsets[rows.lowerBound...rows.upperBound]))
    }

    /// Returns whether two columns hold the same strings in the same order.
    public static func == (lhs: PoolStrings, rhs: PoolStrings) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs.utf8(at: index) != rhs.utf8(at: index) { return false }
        return true
    }
}
