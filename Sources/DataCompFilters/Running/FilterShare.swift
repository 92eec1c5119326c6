/// One share of a filter run split over several processes or machines: `index` of `count`
/// (`--shard-index i --num-shards N`).
///
/// Share `i` processes the metadata files whose position in the pool's sorted file list is `i`
/// modulo `count`, so that shares get similar numbers of files whatever their count. Each share
/// writes a ``PartialFilterResult``; ``PartialFilterResult/merge(_:)`` turns all `count` of them
/// into the subset and report a single run would have written.
public struct FilterShare: Sendable, Hashable, CustomStringConvertible {
    /// This share's number, in `0..<count`.
    public let index: Int
    /// The number of shares.
    public let count: Int

    /// Share `index` of `count`.
    ///
    /// - Precondition: `count >= 1` and `0 <= index < count`.
    public init(index: Int, of count: Int) {
        precondition(count >= 1, "a run needs at least one share, not \(count)")
        precondition(index >= 0 && index < count, "share \(index) is outside 0..<\(count)")
        self.index = index
        self.count = count
    }

    /// Whether the metadata file at `position` (in the pool's sorted order) belongs to this share.
    public func contains(shard position: Int) -> Bool { position % count == index }

    /// `share i of N`.
    public var description: String { "share \(index) of \(count)" }
}
