/// An open shard of a candidate pool that yields the declared columns in batches.
///
/// Opening reads the Parquet footer and, only when an embedding column is declared, the `.npz`
/// directory and array headers; it checks that every declared column exists and that the NPZ
/// arrays have as many rows as the Parquet file. Column data is decoded one row group at a time
/// while iterating, so memory stays bounded by one row group of the declared columns.
public struct PoolShardReader: Sendable {
    /// The shard being read.
    public let shard: PoolShard
    /// The declared columns; batches hold exactly these.
    public let columns: Set<PoolColumn>
    /// The number of rows in the shard (Parquet footer).
    public let rowCount: Int
    private let parquet: ParquetFile
    private let parquetColumns: [PoolColumn]
    private let embeddings: [PoolColumn: PoolEmbeddings]
    private let decodingConcurrency: Int?

    /// Opens a shard for reading `columns`.
    ///
    /// - Parameters:
    ///   - shard: The shard.
    ///   - columns: The columns batches will hold.
    ///   - decodingConcurrency: The most Parquet columns decoded at once; `nil` uses one thread
    ///     per core.
    /// - Throws: ``DataCompError``: `fileNotFound` when an embedding column is declared but the
    ///   `.npz` is missing (naming the expected path), `invalidFormat` when a declared column or
    ///   array is missing, `rowCountMismatch` when an NPZ array's row count differs from the
    ///   Parquet file's, `unsupportedDataType`/`shapeMismatch` for arrays that are not 2-D float16
    ///   or float32, and any error of ``ParquetFile/init(path:)`` or ``NPZArchive/init(contentsOfFile:)``.
    public init(shard: PoolShard, columns: Set<PoolColumn>, decodingConcurrency: Int? = nil) throws {
        self.shard = shard
        self.columns = columns
        self.decodingConcurrency = decodingConcurrency
        parquet = try ParquetFile(path: shard.parquetPath)
        rowCount = parquet.rowCount
        parquetColumns = columns.filter { !$0.isEmbedding }.sorted()
        let available = Set(parquet.schema.fields.map(\.name))
        for column in parquetColumns {
            guard let name = column.parquetName, available.contains(name) else {
                throw DataCompError(
                    .invalidFormat,
                    "the metadata file has no column '\(column.dataCompName)' (needed for .\(column.rawValue)); its columns are: \(parquet.schema.fields.map(\.name).joined(separator: ", "))",
                    path: shard.parquetPath)
            }
        }
        let wanted = columns.filter(\.isEmbedding).sorted()
        var embeddings: [PoolColumn: PoolEmbeddings] = [:]
        if !wanted.isEmpty {
            let archive = try Self.openNPZ(for: shard, needed: wanted)
            for column in wanted {
                embeddings[column] = try Self.checkedArray(column, in: archive, shard: shard, rows: rowCount)
            }
        }
        self.embeddings = embeddings
    }

    private static func openNPZ(for shard: PoolShard, needed: [PoolColumn]) throws -> NPZArchive {
        let names = needed.map(\.dataCompName).joined(separator: ", ")
        do {
            return try NPZArchive(contentsOfFile: shard.npzPath)
        } catch let error as DataCompError where error.code == .fileNotFound {
            throw DataCompError(
                .fileNotFound,
                "the features \(names) of \(shard.parquetPath) are read from the paired file \(shard.npzPath), which does not exist; download the .npz files (DataComp's download_upstream.py --download_npz) into the metadata folder, or do not request embedding columns",
                path: shard.npzPath, cause: error)
        }
    }

    private static func checkedArray(_ column: PoolColumn, in archive: NPZArchive, shard: PoolShard, rows: Int) throws -> PoolEmbeddings {
        let key = column.dataCompName
        guard archive.keys.contains(key) else {
            throw DataCompError(
                .invalidFormat,
                "the archive has no array '\(key)' (needed for .\(column.rawValue)); its arrays are: \(archive.keys.joined(separator: ", "))",
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
                .shapeMismatch, "array '\(key)' has shape \(array.shape); pool features must be two-dimensional [rows, dimensions]",
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
    /// A batch holds at most `maxRows` rows and never spans two Parquet row groups (the unit
    /// that is decoded at once), so batch sizes can vary.
    ///
    /// - Parameters:
    ///   - maxRows: The largest batch; at least 1.
    ///   - body: Called with each batch.
    /// - Throws: ``DataCompError`` naming the file and row for undecodable or ill-typed data
    ///   (for example a uid that is not 32 hex digits), or whatever `body` throws.
    public func forEachBatch(maxRows: Int = 65_536, _ body: (PoolBatch) throws -> Void) throws {
        precondition(maxRows > 0, "maxRows must be positive")
        var groupStart = 0
        func emit(_ group: DecodedRowGroup, rows: Int) throws {
            var start = 0
            while start < rows {
                let end = min(rows, start + maxRows)
                try body(group.batch(shardIndex: shard.index, local: start..<end, groupStart: groupStart, embeddings: embeddings))
                start = end
            }
            groupStart += rows
        }
        if parquetColumns.isEmpty {
            for group in parquet.rowGroups {
                try emit(DecodedRowGroup(), rows: group.rowCount)
            }
            return
        }
        let names = parquetColumns.compactMap(\.parquetName)
        try parquet.forEachRowGroup(columns: names, maxConcurrency: decodingConcurrency) { table in
            let decoded = try DataCompError.attributing(to: shard.parquetPath) {
                try DecodedRowGroup(table: table, columns: parquetColumns, firstRow: groupStart)
            }
            try emit(decoded, rows: table.rowCount)
        }
    }
}
