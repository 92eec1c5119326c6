/// What the footer says about one row group.
public struct ParquetRowGroupMetadata: Sendable {
    /// The number of rows.
    public var rowCount: Int
    /// One entry per leaf column, in schema order.
    public var columns: [ParquetColumnChunkMetadata]
}
