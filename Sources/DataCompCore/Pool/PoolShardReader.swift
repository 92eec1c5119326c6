/// An open shard of a candidate pool that yields the declared columns in batches.
///
/// Opening reads the Parquet footer and, only for the columns declared, the `.npz` directory and
/// array headers and the sidecar files' footers; it checks that every declared column exists and
/// that every file has the shard's row count. Column data is decoded one row group at a time
/// while iterating, so memory stays bounded by one row group of the declared columns.
public struct PoolShardReader: Sendable {
    /// The shard being read.
    public let shard: PoolShard
    /// The declared columns; batches hold exactly these.
    public let columns: Set<PoolColumn>
    /// The number of rows in the shard (Parquet footer).
    public let rowCount: Int
    private let parquet: ParquetFile
    private let metadataColumns: [PoolColumn]
    private let embeddings: [PoolColumn: PoolEmbeddings]
    private let sidecars: [SidecarFile]
    /// The budget for work inside this shard: Parquet columns decoded at once, and what a
    /// caller's per-shard work may use (``CandidatePool/mapShards(columns:concurrency:progress:_:)``
    /// passes each shard its share).
    public let concurrency: ConcurrencyBudget

    /// Opens a shard for reading `columns`.
    ///
    /// - Parameters:
    ///   - shard: The shard.
    ///   - columns: The columns batches will hold; ``PoolColumn/Source/derived`` columns are
    ///     not read (attach them with ``PoolBatch/adding(_:_:validity:)``).
    ///   - concurrency: The budget for work inside the shard (Parquet columns decoded at once).
    /// - Throws: ``DataCompError``: `fileNotFound` when a feature column is declared but the
    ///   `.npz` is missing or a sidecar file is missing (naming the expected path),
    ///   `missingMember` when a declared column or array is missing, `rowCountMismatch` when an
    ///   `.npz` array or sidecar file has another row count than the Parquet file,
    ///   `unsupportedDataType`/`shapeMismatch` for arrays that are not 2-D float16 or float32,
    ///   and any error of ``ParquetFile/init(path:)`` or ``NPZArchive/init(contentsOfFile:)``.
    /// - Precondition: `columns` holds no ``PoolColumn/Source/derived`` column.
    public init(shard: PoolShard, columns: Set<PoolColumn>, concurrency: ConcurrencyBudget = .machine) throws {
        self.shard = shard
        self.columns = columns
        self.concurrency = concurrency
        precondition(
            !columns.contains { $0.source == .derived },
            "derived columns are computed in memory and attached with PoolBatch.adding, not read from the pool's files")
        parquet = try ParquetFile(path: shard.parquetPath)
        rowCount = parquet.rowCount
        metadataColumns = columns.filter { $0.source == .metadata }.sorted()
        try Self.checkPresent(metadataColumns, in: parquet, role: "metadata file")
        let features = columns.filter(\.isFeatureArray).sorted()
        var embeddings: [PoolColumn: PoolEmbeddings] = [:]
        if !features.isEmpty {
            let archive = try Self.openNPZ(for: shard, needed: features)
            for column in features {
                embeddings[column] = try Self.checkedArray(column, in: archive, shard: shard, rows: rowCount)
            }
        }
        self.embeddings = embeddings
        var byDirectory: [String: [PoolColumn]] = [:]
        for column in columns {
            if case .sidecar(let directory) = column.source { byDirectory[directory, default: []].append(column) }
        }
        let rows = rowCount
        sidecars = try byDirectory.keys.sorted().map { directory in
            try SidecarFile(
                directory: directory, columns: byDirectory[directory, default: []].sorted(), shard: shard, rows: rows)
        }
    }

    static func checkPresent(_ columns: [PoolColumn], in file: ParquetFile, role: String) throws {
        let available = Set(file.schema.fields.map(\.name))
        for column in columns where !available.contains(column.name) {
            throw DataCompError(
                .missingMember,
                "the \(role) has no column '\(column.name)'; its columns are: \(file.schema.fields.map(\.name).joined(separator: ", "))",
                path: file.path)
        }
    }

    private static func openNPZ(for shard: PoolShard, needed: [PoolColumn]) throws -> NPZArchive {
        let names = needed.map(\.name).joined(separator: ", ")
        do {
            return try NPZArchive(contentsOfFile: shard.npzPath)
        } catch let error as DataCompError where error.code == .fileNotFound {
            throw DataCompError(
                .fileNotFound,
                "the features \(names) of \(shard.parquetPath) are read from the paired file \(shard.npzPath), which does not exist; download the .npz files (DataComp's download_upstream.py --download_npz) into the metadata folder, or do not request feature columns",
                path: shard.npzPath, cause: error)
        }
    }

    private static func checkedArray(_ column: PoolColumn, in archive: NPZArchive, shard: PoolShard, rows: Int) throws
        -> PoolEmbeddings
    {
        let key = column.name
        guard archive.keys.contains(key) else {
            throw DataCompError(
                .missingMember,
                "the archive has no array '\(key)'; its arrays are: \(archive.keys.joined(separator: ", "))",
                path: shard.npzPath)
        }
        let array = try archive.array(named: key)
        guard array.dataType == .float16 || array.dataType == .float32 else {
            throw DataCompError(
                .unsupportedDataType, "array '\(key)' has dtype \(array.dataType); pool features must be <f2 or <f4",
                path: shard.npzPath, position: .member(key + ".npy"))
        }
        guard array.shape.count == 2 else {
            throw DataCompError(
                .shapeMismatch,
                "array '\(key)' has shape \(array.shape); pool features must be two-dimensional [rows, dimensions]",
                path: shard.npzPath, position: .member(key + ".npy"))
        }
        guard array.shape[0] == rows else {
            throw DataCompError(
                .rowCountMismatch,
                "\(shard.parquetPath) has \(rows) rows but array '\(key)' of \(shard.npzPath) has \(array.shape[0]); the files must pair row for row (re-download the pair)",
                path: shard.npzPath, position: .member(key + ".npy"))
        }
        return PoolEmbeddings(array: array)
    }

    /// Calls `body` with consecutive batches covering every row of the shard, in order.
    ///
    /// A batch holds at most `maxRows` rows and never spans two Parquet row groups of the
    /// metadata file (the unit that is decoded at once), so batch sizes can vary.
    ///
    /// - Parameters:
    ///   - maxRows: The largest batch.
    ///   - body: Called with each batch.
    /// - Throws: ``DataCompError`` naming the file and row for undecodable or ill-typed data
    ///   (for example a uid that is not 32 hex digits, or a sidecar row whose uid differs from
    ///   the metadata's), or whatever `body` throws.
    /// - Precondition: `maxRows > 0`.
    public func forEachBatch(maxRows: Int = 65_536, _ body: (PoolBatch) throws -> Void) throws {
        precondition(maxRows > 0, "maxRows must be positive, not \(maxRows)")
        // Sidecar rows are matched to the metadata rows by uid, so the uids are decoded whenever
        // a sidecar is read, declared or not.
        var decoded = metadataColumns
        if !sidecars.isEmpty && !decoded.contains(.uid) { decoded.append(.uid) }
        var cursors = sidecars.map { SidecarCursor(file: $0) }
        var groupStart = 0
        func emit(_ group: DecodedRowGroup, rows: Int) throws {
            var start = 0
            while start < rows {
                let end = min(rows, start + maxRows)
                let shardRows = (groupStart + start)..<(groupStart + end)
                var (values, validity) = group.sliced(start..<end)
                for (column, matrix) in embeddings { values[column] = .embeddings(matrix.sliced(shardRows)) }
                if !cursors.isEmpty {
                    guard case .identifiers(let uids)? = values[.uid] else {
                        preconditionFailure("uids are decoded with sidecars")
                    }
                    for index in cursors.indices {
                        let part = try cursors[index].values(for: shardRows, uids: uids)
                        values.merge(part.values) { $1 }
                        validity.merge(part.validity) { $1 }
                    }
                    if !metadataColumns.contains(.uid) { values[.uid] = nil }
                }
                try body(
                    PoolBatch(
                        shardIndex: shard.index, shardRows: ShardRowNumbers(shardRows), columns: values,
                        validity: validity))
                start = end
            }
            groupStart += rows
        }
        if decoded.isEmpty {
            for group in parquet.rowGroups {
                try emit(DecodedRowGroup(), rows: group.rowCount)
            }
            return
        }
        try parquet.forEachRowGroup(columns: decoded.map(\.name), concurrency: concurrency) { table in
            let group = try DataCompError.attributing(to: shard.parquetPath) {
                try DecodedRowGroup(table: table, columns: decoded, firstRow: groupStart)
            }
            try emit(group, rows: table.rowCount)
        }
    }
}
