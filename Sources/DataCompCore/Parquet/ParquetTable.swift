/// Decoded columns of some rows of a Parquet file.
public struct ParquetTable: Sendable {
    /// The number of rows.
    public var rowCount: Int
    /// The columns, one per leaf column read.
    public var columns: [ParquetColumn]

    /// Creates a table.
    ///
    /// - Parameters:
    ///   - rowCount: The number of rows; every column must have this many.
    ///   - columns: The columns.
    public init(rowCount: Int, columns: [ParquetColumn]) {
        self.rowCount = rowCount
        self.columns = columns
    }

    /// The column whose top-level name or dotted path is `name`, if any.
    ///
    /// - Parameter name: A top-level field name (`text`) or a dotted leaf path.
    public subscript(name: String) -> ParquetColumn? {
        columns.first { $0.name == name } ?? columns.first { $0.descriptor.dottedPath == name }
    }
}
