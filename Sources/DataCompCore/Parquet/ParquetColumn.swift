/// The decoded values of one Parquet column.
///
/// Leaf values are one typed array with a slot per value (null slots hold zero or an empty
/// string), ``validity`` marks the nulls, and ``lists`` describes list nesting from the
/// outermost level in: for `list<list<double>>` there are two levels, the first indexing into
/// the second's lists and the second indexing into the values.
public struct ParquetColumn: Sendable {
    /// The typed leaf values.
    public enum Values: Sendable, Equatable {
        /// BOOLEAN values.
        case boolean([Bool])
        /// INT32 values.
        case int32([Int32])
        /// INT64 values.
        case int64([Int64])
        /// FLOAT values.
        case float([Float])
        /// DOUBLE values.
        case double([Double])
        /// BYTE_ARRAY values annotated as UTF-8 text.
        case string(StringColumn)
        /// BYTE_ARRAY values without a text annotation.
        case binary(StringColumn)
        /// FIXED_LEN_BYTE_ARRAY (and INT96) values.
        case fixedLengthBinary(StringColumn)

        /// The number of leaf slots.
        public var count: Int {
            switch self {
            case .boolean(let v): v.count
            case .int32(let v): v.count
            case .int64(let v): v.count
            case .float(let v): v.count
            case .double(let v): v.count
            case .string(let v), .binary(let v), .fixedLengthBinary(let v): v.count
            }
        }
    }

    /// The leaf column this data belongs to.
    public var descriptor: ParquetColumnDescriptor
    /// The leaf values, one slot per (possibly null) value.
    public var values: Values
    /// Which leaf slots hold values; `nil` when none is null.
    public var validity: ParquetValidity?
    /// List nesting, outermost first; empty for a flat column.
    public var lists: [ParquetListLevel]

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - descriptor: The leaf column.
    ///   - values: The leaf values.
    ///   - validity: Which leaf slots hold values, or `nil` when none is null.
    ///   - lists: List nesting, outermost first.
    public init(
        descriptor: ParquetColumnDescriptor, values: Values, validity: ParquetValidity? = nil,
        lists: [ParquetListLevel] = []
    ) {
        self.descriptor = descriptor
        self.values = values
        self.validity = validity
        self.lists = lists
    }

    /// The top-level field name.
    public var name: String { descriptor.name }

    /// The number of rows.
    public var rowCount: Int { lists.first?.count ?? values.count }

    /// Whether leaf slot `index` holds a value.
    ///
    /// - Parameter index: A leaf slot.
    /// - Returns: Whether the slot is not null.
    public func isValid(_ index: Int) -> Bool { validity?[index] ?? true }
}
