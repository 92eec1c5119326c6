/// How a Parquet leaf column's physical values are to be read: its logical type (or the legacy
/// converted type it was written with).
///
/// The reader decodes physical values as they are stored; the logical type says what they mean —
/// unsigned integers stored in INT32/INT64, decimals stored as unscaled integers, dates as days
/// and timestamps as ticks since the Unix epoch. `datacomp export` and
/// ``ParquetColumn/jsonValue(row:)`` render values by it, as pyarrow does.
public enum ParquetLogicalType: Sendable, Hashable {
    /// UTF-8 text (STRING, or the converted type UTF8).
    case string
    /// An enumeration's name, stored as UTF-8 text.
    case enumeration
    /// JSON text.
    case json
    /// BSON bytes.
    case bson
    /// A 16-byte UUID.
    case uuid
    /// An IEEE half-precision float stored in 2 bytes.
    case float16
    /// An integer of `bitWidth` bits (8, 16, 32 or 64), signed or not; unsigned values are stored
    /// in INT32/INT64 as their bit patterns.
    case integer(bitWidth: Int, isSigned: Bool)
    /// A decimal number `unscaled × 10^-scale`, stored as INT32, INT64 or big-endian two's
    /// complement bytes.
    case decimal(precision: Int, scale: Int)
    /// Days since 1970-01-01 (INT32).
    case date
    /// A time of day in `unit`s since midnight.
    case time(unit: ParquetTimeUnit, isAdjustedToUTC: Bool)
    /// An instant or local date-time in `unit`s since 1970-01-01T00:00.
    case timestamp(unit: ParquetTimeUnit, isAdjustedToUTC: Bool)
    /// An interval of months, days and milliseconds (the converted type INTERVAL, 12 bytes).
    case interval
    /// A logical type this package does not interpret (its `LogicalType` union field id, or
    /// `1000 +` the converted type); values are rendered by their physical type.
    case unknown(Int)
}

/// The unit of a Parquet TIME or TIMESTAMP column.
public enum ParquetTimeUnit: String, Sendable, Hashable {
    /// Thousandths of a second.
    case milliseconds
    /// Millionths of a second.
    case microseconds
    /// Billionths of a second.
    case nanoseconds

    /// The number of units in one second.
    public var perSecond: Int64 {
        switch self {
        case .milliseconds: 1000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }
}

extension ParquetLogicalType {
    /// The logical type of a schema element, from its `LogicalType` or, failing that, its
    /// converted type.
    init?(element: ThriftSchemaElement) {
        let p = element.logicalParameters
        func unit(_ member: Int16?) -> ParquetTimeUnit {
            switch member {
            case 1: .milliseconds
            case 3: .nanoseconds
            default: .microseconds
            }
        }
        if let logical = element.logicalType {
            switch logical {
            case 1: self = .string
            case 4: self = .enumeration
            case 5:
                self = .decimal(
                    precision: Int(p.precision ?? element.precision ?? 0), scale: Int(p.scale ?? element.scale ?? 0))
            case 6: self = .date
            case 7: self = .time(unit: unit(p.unit), isAdjustedToUTC: p.isAdjustedToUTC ?? true)
            case 8: self = .timestamp(unit: unit(p.unit), isAdjustedToUTC: p.isAdjustedToUTC ?? true)
            case 10: self = .integer(bitWidth: Int(p.bitWidth ?? 64), isSigned: p.isSigned ?? true)
            case 12: self = .json
            case 13: self = .bson
            case 14: self = .uuid
            case 15: self = .float16
            case 2, 3, 11: return nil  // MAP and LIST annotate groups; UNKNOWN is always null
            default: self = .unknown(Int(logical))
            }
            return
        }
        guard let converted = element.convertedType else { return nil }
        switch converted {
        case 0: self = .string
        case 4: self = .enumeration
        case 5: self = .decimal(precision: Int(element.precision ?? 0), scale: Int(element.scale ?? 0))
        case 6: self = .date
        case 7: self = .time(unit: .milliseconds, isAdjustedToUTC: true)
        case 8: self = .time(unit: .microseconds, isAdjustedToUTC: true)
        case 9: self = .timestamp(unit: .milliseconds, isAdjustedToUTC: true)
        case 10: self = .timestamp(unit: .microseconds, isAdjustedToUTC: true)
        case 11: self = .integer(bitWidth: 8, isSigned: false)
        case 12: self = .integer(bitWidth: 16, isSigned: false)
        case 13: self = .integer(bitWidth: 32, isSigned: false)
        case 14: self = .integer(bitWidth: 64, isSigned: false)
        case 15: self = .integer(bitWidth: 8, isSigned: true)
        case 16: self = .integer(bitWidth: 16, isSigned: true)
        case 17: self = .integer(bitWidth: 32, isSigned: true)
        case 18: self = .integer(bitWidth: 64, isSigned: true)
        case 19: self = .json
        case 20: self = .bson
        case 21: self = .interval
        case 1, 2, 3: return nil
        default: self = .unknown(1000 + Int(converted))
        }
    }
}
