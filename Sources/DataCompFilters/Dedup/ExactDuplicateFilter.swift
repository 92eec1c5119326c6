import DataCompCore

/// Keeps one sample per distinct image hash: exact de-duplication on DataComp's `sha256` column
/// (the SHA-256 of the downloaded image bytes) or any other string column.
///
/// Which duplicate survives does not depend on shard order or concurrency: the one with the
/// smallest uid (then shard position, then row). Rows with an empty or missing hash are kept.
/// The filter needs the whole pool before any batch can be decided, so it is prepared first with
/// one pass over the uid and hash columns (about 40 bytes per distinct hash while preparing, one
/// bit per sample after):
///
/// ```swift
/// import DataCompFilters
///
/// let pool = try CandidatePool(metadataDirectory: "data/metadata")
/// let unique = try await ExactDuplicateFilter.prepare(on: pool)
/// let result = try await (unique && ScoreFilter(.clipL14Score, .topFraction(0.3))).run(on: pool)
/// print(unique.duplicateCount, "exact duplicates dropped")
/// ```
///
/// A prepared filter belongs to the pool it was prepared on. In a distributed run every share
/// prepares it on the whole pool (the pass reads two columns).
public struct ExactDuplicateFilter: FilterStrategy {
    /// The hash column.
    public let column: PoolColumn
    /// The samples that are duplicates of an earlier one (dropped).
    public let duplicateCount: Int
    /// The distinct non-empty hashes.
    public let distinctCount: Int
    let rows: PreparedRows

    /// Prepares the filter: reads the uid and `column` of every sample of `pool`.
    ///
    /// - Parameters:
    ///   - pool: The pool it will filter.
    ///   - column: A string column of hashes (`.sha256` by default).
    ///   - concurrency: How many shards are read at once.
    ///   - progress: Where progress goes.
    /// - Returns: The filter.
    /// - Throws: `DataCompError` for an unreadable shard or a missing column.
    public static func prepare(
        on pool: CandidatePool, column: PoolColumn = .sha256, concurrency: ConcurrencyBudget = .machine,
        progress: some ProgressReporter = .silent
    ) async throws -> ExactDuplicateFilter {
        precondition(column.valueType == .string, "column '\(column)' does not hold strings")
        // Per shard: every row's hash key (nil when empty) and identity.
        let shards = try await pool.mapShards(columns: [.uid, column], concurrency: concurrency, progress: progress) {
            reader in
            try DataCompError.attributing(to: reader.shard.parquetPath) {
                var keys: [SIMD2<UInt64>?] = []
                var identities: [RowIdentity] = []
                keys.reserveCapacity(reader.rowCount)
                identities.reserveCapacity(reader.rowCount)
                try reader.forEachBatch { batch in
                    let hashes = batch.strings(column)
                    let validity = batch.validity(of: column)
                    let uids = batch.uids
                    for index in 0..<batch.count {
                        let present = validity?[index] ?? true
                        keys.append(present ? hashes.withUTF8(at: index) { HashKey.key(of: $0) } : nil)
                        identities.append(
                            RowIdentity(
                                uid: uids[index], shard: Int32(reader.shard.index), row: Int32(batch.shardRows[index])))
                    }
                }
                return (keys: keys, identities: identities)
            }
        }
        var keepers: [SIMD2<UInt64>: RowIdentity] = [:]
        for shard in shards {
            for (key, identity) in zip(shard.keys, shard.identities) {
                guard let key else { continue }
                if let current = keepers[key], current < identity { continue }
                keepers[key] = identity
            }
        }
        var masks: [Int: RowMask] = [:]
        var duplicates = 0
        for (shard, result) in zip(pool.shards, shards) {
            var mask = RowMask(count: result.keys.count, repeating: true)
            for (key, identity) in zip(result.keys, result.identities) {
                guard let key, keepers[key] != identity else { continue }
                mask[Int(identity.row)] = false
                duplicates += 1
            }
            masks[shard.index] = mask
        }
        return ExactDuplicateFilter(
            column: column, duplicateCount: duplicates, distinctCount: keepers.count, rows: PreparedRows(masks: masks))
    }

    /// The pool columns it reads while filtering (none: it was prepared).
    public var columns: Set<PoolColumn> { [] }

    /// How reports name it.
    public var description: String { "first sample of each \(column.name) (smallest uid)" }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] {
        [("column", .string(column.name)), ("duplicates", .int(duplicateCount)), ("distinct", .int(distinctCount))]
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        try rows.keep(batch, among: candidates, what: "the exact-duplicate filter")
    }
}

/// A 128-bit key for a hash string: the first 32 hex digits of a hex digest (DataComp's
/// `sha256`), or the first 16 bytes of the SHA-256 of any other string.
enum HashKey {
    static func key(of bytes: UnsafeBufferPointer<UInt8>) -> SIMD2<UInt64>? {
        guard !bytes.isEmpty else { return nil }
        if bytes.count >= 32 {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var valid = true
            for index in 0..<32 {
                let byte = bytes[index]
                let digit: UInt64
                switch byte {
                case 0x30...0x39: digit = UInt64(byte - 0x30)
                case 0x61...0x66: digit = UInt64(byte - 0x61 + 10)
                case 0x41...0x46: digit = UInt64(byte - 0x41 + 10)
                default:
                    valid = false
                    digit = 0
                }
                if !valid { break }
                if index < 16 { high = high << 4 | digit } else { low = low << 4 | digit }
            }
            if valid && bytes.count == 64 { return SIMD2(high, low) }
        }
        let digest = Array(SHA256.hash(Array(bytes)).bytes.prefix(16))
        let high = digest[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = digest[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return SIMD2(high, low)
    }
}
