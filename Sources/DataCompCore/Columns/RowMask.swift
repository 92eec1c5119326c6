/// One bit per row of a batch: which rows a filter keeps.
///
/// A mask is a compact bitset (64 rows per word) with the set operations filters compose with
/// — ``intersection(_:)`` (`&`), ``union(_:)`` (`|`) and ``inverted()`` (`~`) — and a fast
/// ``populationCount``. As a collection it is a sequence of `Bool`, one per row.
///
/// ```swift
/// let longCaption = RowMask(count: batch.count) { batch.texts.wordCount(at: $0) > 2 }
/// let bigImage = RowMask(count: batch.count) { min(batch.originalWidths[$0], batch.originalHeights[$0]) >= 200 }
/// let kept = batch.selecting(longCaption & bigImage)
/// ```
public struct RowMask: Sendable, Hashable, RandomAccessCollection, MutableCollection, CustomStringConvertible {
    /// The words; bits past ``count`` are always zero.
    private var words: [UInt64]
    /// The number of rows.
    public let count: Int

    /// Creates a mask of `count` rows, all set to `value`.
    ///
    /// - Parameters:
    ///   - count: The number of rows.
    ///   - value: Whether every row is selected.
    /// - Precondition: `count >= 0`.
    public init(count: Int, repeating value: Bool = false) {
        precondition(count >= 0, "a mask cannot have \(count) rows")
        self.count = count
        words = [UInt64](repeating: value ? ~0 : 0, count: (count + 63) / 64)
        clearTail()
    }

    /// Creates a mask of `count` rows, selecting the rows for which `isSelected` returns true.
    ///
    /// - Parameters:
    ///   - count: The number of rows.
    ///   - isSelected: Called once per row, in order.
    /// - Throws: Whatever `isSelected` throws.
    public init<E: Error>(count: Int, where isSelected: (Int) throws(E) -> Bool) throws(E) {
        self.init(count: count)
        var row = 0
        for word in words.indices {
            var bits: UInt64 = 0
            let end = Swift.min(count, row + 64)
            var bit: UInt64 = 1
            while row < end {
                if try isSelected(row) { bits |= bit }
                bit <<= 1
                row += 1
            }
            words[word] = bits
        }
    }

    /// Creates a mask from packed words (bit `i % 64` of word `i / 64` is row `i`), as Parquet
    /// validity bitmaps store them.
    package init(words: [UInt64], count: Int) {
        precondition(words.count >= (count + 63) / 64, "\(words.count) words cannot hold \(count) rows")
        self.count = count
        self.words = Array(words.prefix((count + 63) / 64))
        clearTail()
    }

    /// Creates a mask from one `Bool` per row.
    ///
    /// - Parameter values: The rows' selection.
    public init(_ values: some Collection<Bool>) {
        let array = Array(values)
        self.init(count: array.count) { array[$0] }
    }

    /// The index of the first row (always 0).
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { count }

    /// Whether row `index` is selected.
    ///
    /// - Parameter index: A row in `0..<count`.
    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "row \(index) outside 0..<\(count)")
            return words[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "row \(index) outside 0..<\(count)")
            let bit: UInt64 = 1 << UInt64(index & 63)
            if newValue { words[index >> 6] |= bit } else { words[index >> 6] &= ~bit }
        }
    }

    /// The number of selected rows.
    ///
    /// - Complexity: O(count / 64).
    public var populationCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every row is selected.
    public var isAllSelected: Bool { populationCount == count }

    /// The indices of the selected rows, in ascending order.
    public var selectedIndices: [Int] {
        var result: [Int] = []
        result.reserveCapacity(populationCount)
        for (wordIndex, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(wordIndex << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }

    /// The rows selected by both masks.
    ///
    /// - Parameter other: A mask of the same length.
    /// - Returns: The intersection.
    public func intersection(_ other: RowMask) -> RowMask {
        combined(other) { $0 & $1 }
    }

    /// The rows selected by either mask.
    ///
    /// - Parameter other: A mask of the same length.
    /// - Returns: The union.
    public func union(_ other: RowMask) -> RowMask {
        combined(other) { $0 | $1 }
    }

    /// The rows selected by this mask but not by `other`.
    ///
    /// - Parameter other: A mask of the same length.
    /// - Returns: The difference.
    public func subtracting(_ other: RowMask) -> RowMask {
        combined(other) { $0 & ~$1 }
    }

    /// The rows this mask does not select.
    ///
    /// - Returns: The complement.
    public func inverted() -> RowMask {
        var result = self
        for index in result.words.indices { result.words[index] = ~result.words[index] }
        result.clearTail()
        return result
    }

    /// Keeps only the rows `other` also selects.
    ///
    /// - Parameter other: A mask of the same length.
    public mutating func formIntersection(_ other: RowMask) { self = intersection(other) }

    /// Adds the rows `other` selects.
    ///
    /// - Parameter other: A mask of the same length.
    public mutating func formUnion(_ other: RowMask) { self = union(other) }

    /// The intersection of two masks.
    public static func & (lhs: RowMask, rhs: RowMask) -> RowMask { lhs.intersection(rhs) }
    /// The union of two masks.
    public static func | (lhs: RowMask, rhs: RowMask) -> RowMask { lhs.union(rhs) }
    /// The complement of a mask.
    public static prefix func ~ (mask: RowMask) -> RowMask { mask.inverted() }
    /// Intersects `lhs` with `rhs`.
    public static func &= (lhs: inout RowMask, rhs: RowMask) { lhs.formIntersection(rhs) }
    /// Unites `lhs` with `rhs`.
    public static func |= (lhs: inout RowMask, rhs: RowMask) { lhs.formUnion(rhs) }

    /// A short description: `RowMask(3 of 10 selected)`.
    public var description: String { "RowMask(\(populationCount) of \(count) selected)" }

    private func combined(_ other: RowMask, _ operation: (UInt64, UInt64) -> UInt64) -> RowMask {
        precondition(count == other.count, "masks of \(count) and \(other.count) rows cannot be combined")
        var result = self
        for index in result.words.indices { result.words[index] = operation(words[index], other.words[index]) }
        result.clearTail()
        return result
    }

    private mutating func clearTail() {
        let used = count & 63
        if used != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(used)) - 1 }
    }
}
