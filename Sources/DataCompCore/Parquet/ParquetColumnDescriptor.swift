/// A leaf column of a Parquet file with the levels needed to reassemble it.
public struct ParquetColumnDescriptor: Sendable, Hashable {
    /// The names from the top-level field down to the leaf, for example
    /// `["face_bboxes", "list", "element", "list", "element"]`.
    public var path: [String]
    /// The physical type of the values.
    public var physicalType: ParquetPhysicalType
    /// The byte length of FIXED_LEN_BYTE_ARRAY values (12 for INT96).
    public var typeLength: Int?
    /// Whether the values are UTF-8 text (logical type STRING, converted type UTF8, or ENUM/JSON).
    public var isString: Bool
    /// The largest definition level (0 for a required top-level column).
    public var maxDefinitionLevel: Int
    /// The largest repetition level (the list nesting depth).
    public var maxRepetitionLevel: Int
    /// The definition level at which each list level has an element, outermost first.
    package var elementDefinitionLevels: [Int]
    /// What the physical values mean (unsigned, decimal, date, timestamp, …), when the file says.
    public var logicalType: ParquetLogicalType? = nil

    /// The top-level field this column belongs to.
    public var name: String { path.first ?? "" }
    /// The dotted path, for example `face_bboxes.list.element.list.element`.
    public var dottedPath: String { path.joined(separator: ".") }
    /// Whether the leaf values can be null.
    public var isNullable: Bool {
        maxDefinitionLevel > (elementDefinitionLevels.last ?? 0)
    }
}
