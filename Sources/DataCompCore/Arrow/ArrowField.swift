/// One field of an Arrow schema: a column, or a child of a nested column.
public struct ArrowField: Sendable, Hashable {
    /// The field's name (not necessarily unique).
    public var name: String
    /// The field's type; nested types hold the child fields.
    public var type: ArrowDataType
    /// Whether the schema allows nulls in the field (values are checked against their
    /// validity bitmaps, not this flag).
    public var isNullable: Bool
    /// The field's custom metadata, key to value (invalid UTF-8 replaced by U+FFFD).
    public var metadata: [String: String]

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: The name.
    ///   - type: The type.
    ///   - isNullable: Whether nulls are allowed.
    ///   - metadata: Custom metadata.
    public init(name: String, type: ArrowDataType, isNullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.metadata = metadata
    }

    /// The child fields of a nested field (empty for the others).
    public var children: [ArrowField] { type.children }
}
