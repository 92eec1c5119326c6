/// The shard rows a ``PoolBatch`` holds: row `i` of the batch is row `self[i]` of its shard
/// (the same row in the `.parquet`, the `.npz` and every sidecar file).
///
/// A batch read from a shard holds a contiguous ``range``; a batch narrowed with
/// ``PoolBatch/selecting(_:)`` holds the selected rows in ascending order.
public struct ShardRowNumbers: Sendable, Hashable, RandomAccessCollection {
    private enum Storage: Sendable, Hashable {
        case range(Range<Int>)
        case list([Int])
    }

    private let storage: Storage

    /// Rows `range` of a shard.
    ///
    /// - Parameter range: Consecutive shard rows.
    public init(_ range: Range<Int>) {
        storage = .range(range)
    }

    /// The given shard rows.
    ///
    /// - Parameter rows: Shard rows in ascending order.
    public init(_ rows: [Int]) {
        if let first = rows.first, let last = rows.last, last - first + 1 == rows.count {
            storage = .range(first..<(last + 1))
        } else {
            storage = rows.isEmpty ? .range(0..<0) : .list(rows)
        }
    }

    /// The index of the first batch row (always 0).
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int {
        switch storage {
        case .range(let range): range.count
        case .list(let rows): rows.count
        }
    }

    /// The shard row of batch row `index`.
    ///
    /// - Parameter index: A batch row in `0..<count`.
    public subscript(index: Int) -> Int {
        switch storage {
        case .range(let range):
            precondition(index >= 0 && index < range.count, "row \(index) outside 0..<\(range.count)")
            return range.lowerBound + index
        case .list(let rows): return rows[index]
        }
    }

    /// The rows as a range when they are consecutive, else `nil`.
    public var range: Range<Int>? {
        if case .range(let range) = storage { return range }
        return nil
    }
}
