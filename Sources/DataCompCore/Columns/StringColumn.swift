/// A column of byte strings — usually UTF-8 text — stored as one contiguous buffer with
/// offsets, without one allocation per row.
///
/// String `i` is `bytes[offsets[i]..<offsets[i + 1]]`. Parquet `BYTE_ARRAY` columns decode to
/// this type, and the pool's text columns (`text`, `url`, `sha256`) are this type. The buffer
/// may be shared with other columns sliced from the same decoded data (copy-on-write), so
/// `offsets` need not start at zero.
///
/// Reading a `String` per row is convenient but slow for millions of rows; filters read the
/// bytes instead, and the Python text measures are computed on them directly:
///
/// ```swift
/// let captions = batch.texts
/// for row in captions.indices where captions.unicodeScalarCount(at: row) > 5 && captions.wordCount(at: row) > 2 {
///     // Python: len(text) > 5 and len(text.split()) > 2
/// }
/// ```
///
/// Note that `captions[row].count` counts *grapheme clusters* (Swift's `Character`s), not
/// Python's characters: use ``unicodeScalarCount(at:)`` for `len(text)`.
public struct StringColumn: Sendable, Equatable, RandomAccessCollection {
    /// The bytes of the strings (possibly more, shared with other columns).
    public private(set) var bytes: [UInt8]
    /// `count + 1` non-decreasing offsets into ``bytes``.
    public private(set) var offsets: [Int]

    /// Creates a column from a buffer and offsets.
    ///
    /// - Parameters:
    ///   - bytes: The bytes of the strings.
    ///   - offsets: `count + 1` non-decreasing offsets into `bytes`.
    /// - Precondition: `offsets` is not empty, non-decreasing and inside `bytes`.
    public init(bytes: [UInt8], offsets: [Int]) {
        precondition(!offsets.isEmpty, "a string column needs count + 1 offsets")
        precondition(
            (offsets.first ?? 0) >= 0 && (offsets.last ?? 0) <= bytes.count, "string offsets are outside the buffer")
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Creates an empty column.
    public init() {
        bytes = []
        offsets = [0]
    }

    /// Creates a column from strings (UTF-8 encoded).
    ///
    /// - Parameter strings: The values.
    public init(_ strings: some Sequence<String>) {
        self.init()
        for string in strings { append(string) }
    }

    /// Appends a string (UTF-8 encoded).
    ///
    /// - Parameter string: The value.
    public mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        offsets.append(bytes.count)
    }

    /// Appends a value given as bytes.
    ///
    /// - Parameter value: The bytes of the value.
    public mutating func append(bytesOf value: some Sequence<UInt8>) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    /// The index of the first string (always 0).
    public var startIndex: Int { 0 }
    /// The number of strings.
    public var endIndex: Int { offsets.count - 1 }

    /// String `index`, decoded from UTF-8 (invalid sequences become U+FFFD).
    ///
    /// - Parameter index: A row in `0..<count`.
    public subscript(index: Int) -> String {
        withUTF8(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of string `index`.
    ///
    /// - Parameter index: A row in `0..<count`.
    /// - Returns: A slice of ``bytes`` (no copy).
    public func utf8(at index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    /// Calls `body` with the bytes of string `index`, without copying.
    ///
    /// - Parameters:
    ///   - index: A row in `0..<count`.
    ///   - body: Receives the bytes; they must not escape.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUTF8<R, E: Error>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R
    {
        let range = offsets[index]..<offsets[index + 1]
        return try bytes.withUnsafeBufferPointer { buffer throws(E) -> R in
            try body(UnsafeBufferPointer(rebasing: buffer[range]))
        }
    }

    /// Calls `body` with the bytes of every string in turn, without creating `String`s.
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

    /// The strings of `rows`, sharing this column's buffer (only the offsets are copied).
    ///
    /// - Parameter rows: A range of rows.
    /// - Returns: A column of `rows.count` strings.
    public func sliced(_ rows: Range<Int>) -> StringColumn {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows \(rows) outside 0..<\(count)")
        return StringColumn(bytes: bytes, offsets: Array(offsets[rows.lowerBound...rows.upperBound]))
    }

    /// The strings of the rows in `rows`, in that order, in a new compact buffer.
    ///
    /// - Parameter rows: Row indices in `0..<count`.
    /// - Returns: A column of `rows.count` strings.
    public func gathering(_ rows: some Sequence<Int>) -> StringColumn {
        var result = StringColumn()
        for row in rows { result.append(bytesOf: utf8(at: row)) }
        return result
    }

    /// Returns whether two columns hold the same strings in the same order.
    public static func == (lhs: StringColumn, rhs: StringColumn) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs.utf8(at: index) != rhs.utf8(at: index) { return false }
        return true
    }
}
