/// The physical (storage) type of a Parquet leaf column.
public enum ParquetPhysicalType: String, Sendable, Hashable, CustomStringConvertible {
    /// One bit per value.
    case boolean = "BOOLEAN"
    /// 32-bit signed integers.
    case int32 = "INT32"
    /// 64-bit signed integers.
    case int64 = "INT64"
    /// 96-bit values (legacy timestamps), read as 12-byte fixed-length byte arrays.
    case int96 = "INT96"
    /// IEEE 754 single precision.
    case float = "FLOAT"
    /// IEEE 754 double precision.
    case double = "DOUBLE"
    /// Variable-length byte strings (UTF-8 text when the logical type is STRING).
    case byteArray = "BYTE_ARRAY"
    /// Byte strings of one fixed length.
    case fixedLengthByteArray = "FIXED_LEN_BYTE_ARRAY"

    init?(thrift value: Int32) {
        switch value {
        case 0: self = .boolean
        case 1: self = .int32
        case 2: self = .int64
        case 3: self = .int96
        case 4: self = .float
        case 5: self = .double
        case 6: self = .byteArray
        case 7: self = .fixedLengthByteArray
        default: return nil
        }
    }

    var thriftValue: Int32 {
        switch self {
        case .boolean: 0
        case .int32: 1
        case .int64: 2
        case .int96: 3
        case .float: 4
        case .double: 5
        case .byteArray: 6
        case .fixedLengthByteArray: 7
        }
    }

    /// The specification's name, for example `BYTE_ARRAY`.
    public var description: String { rawValue }
}
