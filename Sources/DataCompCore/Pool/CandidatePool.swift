import Foundation

/// A DataComp candidate pool: the metadata folder of paired `<stem>.parquet` and `<stem>.npz`
/// files that `download_upstream.py` writes (see the article File Formats and Parity).
///
/// Discovery lists the folder **non-recursively** and keeps regular files whose name **ends in**
/// `.parquet` and does not start with a dot, in sorted byte order of their names — the order
/// img2dataset uses (`sorted(glob("*.parquet"))`), so shard indices match its numbering. (DataComp's
/// filters keep every name that merely *contains* `.parquet`; ending in it excludes side files
/// such as `x.parquet.crc` or partial downloads, and changes nothing for a downloaded pool.) Each
/// shard is paired with the `.npz` of the same stem when it exists; the `.npz` is opened only when
/// an embedding column is declared.
///
/// Work is streamed shard by shard and row group by row group, and only the declared columns are
/// decoded, so memory does not grow with the pool size.
///
/// ```swift
/// let pool = try CandidatePool(metadataDirectory: "data/metadata")
/// try pool.forEachBatch(columns: [.uid, .text, .clipL14Score]) { batch in
///     print(batch.count, batch.uids[0], batch.texts[0], batch.clipL14Scores[0])
/// }
/// let perShard = try await pool.mapShards(columns: [.l14Image]) { reader in
///     var rows = 0
///     try reader.forEachBatch { rows += $0.embeddings(.l14Image).rowCount }
///     return rows
/// }
/// ```
public struct CandidatePool: Sendable {
    /// The metadata folder.
    public let directory: String
    /// The shards in sorted file order.
    public let shards: [PoolShard]

    /// Lists a metadata folder.
    ///
    /// - Parameter metadataDirectory: The folder holding the `.parquet` (and `.npz`) files.
    /// - Throws: ``DataCompError`` with code `fileNotFound` when the folder does not exist or
    ///   holds no `.parquet` file, `io` when it cannot be listed.
    public init(metadataDirectory: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: metadataDirectory, isDirectory: &isDirectory) else {
            throw DataCompError(.fileNotFound, "the metadata folder does not exist", path: metadataDirectory)
        }
        guard isDirectory.boolValue else {
            throw DataCompError(
                .invalidArgument, "expected a metadata folder of .parquet files, found a file", path: metadataDirectory)
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: metadataDirectory)
        } catch {
            throw DataCompError(
                .io, "cannot list the metadata folder: \(error.localizedDescription)", path: metadataDirectory)
        }
        let base = metadataDirectory.hasSuffix("/") ? metadataDirectory : metadataDirectory + "/"
        let present = Set(names)
        let parquetNames = names.filter { name in
            guard name.hasSuffix(".parquet"), !name.hasPrefix(".") else { return false }
            var isFolder: ObjCBool = false
            return manager.fileExists(atPath: base + name, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        guard !parquetNames.isEmpty else {
            throw DataCompError(
                .fileNotFound,
                "the metadata folder holds no .parquet files; download the pool metadata with DataComp's download_upstream.py",
                path: metadataDirectory)
        }
        directory = metadataDirectory
        shards = parquetNames.enumerated().map { index, name in
            let stem = String(name.dropLast(".parquet".count))
            return PoolShard(
                index: index, stem: stem, parquetPath: base + name, npzPath: base + stem + ".npz",
                hasNPZ: present.contains(stem + ".npz"))
        }
    }

    /// The same pool restricted to the shards `isIncluded` accepts (their indices unchanged), for
    /// one share of a distributed run.
    ///
    /// - Parameter isIncluded: Decides each shard.
    /// - Returns: A pool over the accepted shards; it may have none.
    public func filteringShards(_ isIncluded: (PoolShard) -> Bool) -> CandidatePool {
        CandidatePool(directory: directory, shards: shards.filter(isIncluded))
    }

    private init(directory: String, shards: [PoolShard]) {
        self.directory = directory
        self.shards = shards
    }

    /// Opens one shard for reading `columns`.
    ///
    /// - Parameters:
    ///   - index: The shard, in `0..<shards.count`.
    ///   - columns: The columns its batches will hold.
    /// - Returns: A reader; see ``PoolShardReader/init(shard:columns:concurrency:)`` for the checks.
    /// - Throws: ``DataCompError``; see ``PoolShardReader/init(shard:columns:concurrency:)``.
    public func openShard(_ index: Int, columns: Set<PoolColumn>) throws -> PoolShardReader {
        precondition(shards.indices.contains(index), "shard \(index) out of range 0..<\(shards.count)")
        return try PoolShardReader(shard: shards[index], columns: columns)
    }

    /// The total number of rows, from the Parquet footers (no column is decoded).
    ///
    /// - Returns: The sum of the shards' row counts.
    /// - Throws: ``DataCompError`` for a missing or malformed Parquet file.
    public func rowCount() throws -> Int {
        try shards.reduce(0) { $0 + (try ParquetFile(path: $1.parquetPath)).rowCount }
    }

    /// Checks every shard eagerly: the Parquet footer parses, and every DataComp feature array
    /// in a present `.npz` is a 2-D float16/float32 matrix with as many rows as the Parquet file.
    ///
    /// Reading checks the same lazily, for the declared columns of each opened shard only.
    ///
    /// - Returns: The total number of rows.
    /// - Throws: ``DataCompError``, for example `rowCountMismatch` naming both files and counts.
    @discardableResult
    public func validate() throws -> Int {
        var total = 0
        for shard in shards {
            var columns: Set<PoolColumn> = []
            if shard.hasNPZ {
                let archive = try NPZArchive(contentsOfFile: shard.npzPath)
                columns = Set(PoolColumn.dataCompFeatures.filter { archive.keys.contains($0.name) })
            }
            total += try PoolShardReader(shard: shard, columns: columns).rowCount
        }
        return total
    }

    /// Calls `body` with batches of the declared columns over every shard in order, one row
    /// group in memory at a time.
    ///
    /// - Parameters:
    ///   - columns: The columns the batches hold.
    ///   - maxRows: The largest batch (batches never span row groups or shards).
    ///   - body: Called with each batch.
    /// - Throws: ``DataCompError`` from opening or decoding a shard, or whatever `body` throws.
    public func forEachBatch(columns: Set<PoolColumn>, maxRows: Int = 65_536, _ body: (PoolBatch) throws -> Void) throws
    {
        for shard in shards {
            try PoolShardReader(shard: shard, columns: columns).forEachBatch(maxRows: maxRows, body)
        }
    }

    /// Runs `transform` on every shard, several shards at a time, and returns the results in
    /// shard order.
    ///
    /// The budget is split as ``ConcurrencyBudget/split(over:)`` says: `min(shards, width)`
    /// shards run at once and each reader gets the rest of the width as its
    /// ``PoolShardReader/concurrency`` (for its Parquet decoding and for `transform`'s own inner
    /// work, OpenBLAS included). Shards are opened inside the tasks, so at most that many shards are in memory at
    /// once. The first error cancels the shards not yet started. Each finished shard advances
    /// `progress` (label `pool scan`, unit `shards`).
    ///
    /// - Parameters:
    ///   - columns: The columns the readers' batches hold.
    ///   - concurrency: The budget for the whole scan.
    ///   - progress: Where progress goes; silent by default.
    ///   - transform: Computes one shard's result, typically by iterating its batches.
    /// - Returns: One result per shard, in shard order.
    /// - Throws: The first error (by shard) of the shards that ran, or `CancellationError`.
    public func mapShards<Result: Sendable>(
        columns: Set<PoolColumn>, concurrency: ConcurrencyBudget = .machine,
        progress: some ProgressReporter = .silent,
        _ transform: @escaping @Sendable (PoolShardReader) throws -> Result
    ) async throws -> [Result] {
        let (width, inner) = concurrency.split(over: shards.count)
        let shards = self.shards
        let tracker = ProgressTracker(label: "pool scan", total: shards.count, unit: "shards", reporter: progress)
        defer { tracker.finish() }
        // OpenBLAS gets each shard's share too, for products inside `transform`.
        return try await inner.withBLASThreads {
            try await BoundedFanOut.map(shards.count, width: width) { index in
                let reader = try PoolShardReader(shard: shards[index], columns: columns, concurrency: inner)
                let result = try transform(reader)
                tracker.advance()
                return result
            }
        }
    }
}
