/// One metadata chunk of a candidate pool: a `.parquet` file and, when present, the `.npz`
/// file of the same stem that holds its CLIP features row for row.
public struct PoolShard: Sendable, Hashable {
    /// The position of the shard in the pool's sorted file order.
    public var index: Int
    /// The file name without `.parquet`, for example `0020f0cbd157d470aa56bea08e304b90`.
    public var stem: String
    /// The Parquet metadata file.
    public var parquetPath: String
    /// The paired feature file, `<stem>.npz` next to the Parquet file (whether or not it exists).
    public var npzPath: String
    /// Whether ``npzPath`` existed when the pool was opened.
    public var hasNPZ: Bool

    /// Creates a shard description.
    ///
    /// - Parameters:
    ///   - index: The position in the pool's file order.
    ///   - stem: The file name without `.parquet`.
    ///   - parquetPath: The Parquet metadata file.
    ///   - npzPath: The expected paired `.npz` file.
    ///   - hasNPZ: Whether the `.npz` file exists.
    public init(index: Int, stem: String, parquetPath: String, npzPath: String, hasNPZ: Bool) {
        self.index = index
        self.stem = stem
        self.parquetPath = parquetPath
        self.npzPath = npzPath
        self.hasNPZ = hasNPZ
    }
}
