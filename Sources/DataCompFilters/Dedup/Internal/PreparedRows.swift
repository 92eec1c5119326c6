import DataCompCore

/// The rows a prepared (pool-wide) filter keeps: one mask per shard, by the shard's position in
/// the pool, over all the shard's rows.
struct PreparedRows: Sendable {
    var masks: [Int: RowMask]

    /// The rows of `batch` kept, among `candidates`.
    func keep(_ batch: PoolBatch, among candidates: RowMask, what: String) throws -> RowMask {
        guard let mask = masks[batch.shardIndex] else {
            throw DataCompError(
                .invalidArgument,
                "\(what) was prepared on another pool (it has no shard \(batch.shardIndex)); prepare it on the pool it filters"
            )
        }
        let rows = batch.shardRows
        var kept = candidates
        for index in candidates.selectedIndices {
            let row = rows[index]
            guard row < mask.count else {
                throw DataCompError(
                    .invalidArgument,
                    "\(what) was prepared on another pool (shard \(batch.shardIndex) has more rows now); prepare it again",
                    position: .row(row))
            }
            if !mask[row] { kept[index] = false }
        }
        return kept
    }
}

/// A row's identity for deterministic choices: uid, then shard position, then row.
struct RowIdentity: Hashable, Comparable, Sendable {
    var uid: SampleID
    var shard: Int32
    var row: Int32

    static func < (lhs: RowIdentity, rhs: RowIdentity) -> Bool {
        (lhs.uid, lhs.shard, lhs.row) < (rhs.uid, rhs.shard, rhs.row)
    }
}
