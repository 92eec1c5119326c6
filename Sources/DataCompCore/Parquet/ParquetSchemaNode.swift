/// One node of a Parquet schema tree: a group (with children) or a leaf column.
public struct ParquetSchemaNode: Sendable {
    /// The field name.
    public var name: String
    /// Whether the node is required, optional or repeated.
    public var repetition: ParquetRepetition
    /// The physical type of a leaf, or `nil` for a group.
    public var physicalType: ParquetPhysicalType?
    /// The byte length of FIXED_LEN_BYTE_ARRAY values.
    public var typeLength: Int?
    /// The logical or converted type annotation, for example `STRING` or `LIST`, if any.
    public var annotation: String?
    /// The children of a group (empty for a leaf).
    public var children: [ParquetSchemaNode]
}
