/// The logical type of an Arrow field: the types ``ArrowIPCFile`` reads.
///
/// Nested types carry their child fields. Dates, times, timestamps and durations are read as
/// the integers they are stored as (days or ticks since the Unix epoch, ticks since midnight),
/// in ``ArrowValue/int(_:)``. A dictionary-encoded field has the type of its values.
public indirect enum ArrowDataType: Sendable, Hashable {
    /// Every value is null (no storage).
    case null
    /// Booleans, one bit each.
    case bool
    /// 8-bit signed integers.
    case int8
    /// 16-bit signed integers.
    case int16
    /// 32-bit signed integers.
    case int32
    /// 64-bit signed integers.
    case int64
    /// 8-bit unsigned integers.
    case uint8
    /// 16-bit unsigned integers.
    case uint16
    /// 32-bit unsigned integers.
    case uint32
    /// 64-bit unsigned integers.
    case uint64
    /// IEEE half-precision floats.
    case float16
    /// IEEE single-precision floats.
    case float32
    /// IEEE double-precision floats.
    case float64
    /// UTF-8 text with 32-bit offsets (pyarrow's `string`).
    case utf8
    /// UTF-8 text with 64-bit offsets (pyarrow's `large_string`).
    case largeUTF8
    /// Bytes with 32-bit offsets.
    case binary
    /// Bytes with 64-bit offsets.
    case largeBinary
    /// Byte strings of `byteWidth` bytes each.
    case fixedSizeBinary(byteWidth: Int)
    /// Days since 1970-01-01, 32-bit.
    case date32
    /// Milliseconds since 1970-01-01, 64-bit.
    case date64
    /// A time of day in `unit`s since midnight, 32-bit (seconds or milliseconds).
    case time32(ArrowTimeUnit)
    /// A time of day in `unit`s since midnight, 64-bit (microseconds or nanoseconds).
    case time64(ArrowTimeUnit)
    /// An instant (with a time zone) or a local date-time in `unit`s since 1970-01-01T00:00.
    case timestamp(ArrowTimeUnit, timeZone: String?)
    /// A length of time in `unit`s, 64-bit.
    case duration(ArrowTimeUnit)
    /// Lists of the child field's values, with 32-bit offsets.
    case list(ArrowField)
    /// Lists of the child field's values, with 64-bit offsets.
    case largeList(ArrowField)
    /// Lists of exactly `size` values of the child field.
    case fixedSizeList(ArrowField, size: Int)
    /// A record of the child fields, one value of each per row.
    case `struct`([ArrowField])

    /// The child fields of a nested type (empty for the others).
    public var children: [ArrowField] {
        switch self {
        case .list(let child), .largeList(let child), .fixedSizeList(let child, _): [child]
        case .struct(let fields): fields
        default: []
        }
    }
}
