/// The element type of a NumPy array, as named by the `descr` field of an `.npy` header.
///
/// Only little-endian C-order layouts are read and written. ``sampleID`` is the structured
/// dtype `[('f0', '<u8'), ('f1', '<u8')]` (`np.dtype("u8,u8")`) that DataComp subset files use.
public enum NPYDataType: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Half-precision float, `<f2`.
    case float16
    /// Single-precision float, `<f4`.
    case float32
    /// Double-precision float, `<f8`.
    case float64
    /// Signed 8-bit integer, `|i1`.
    case int8
    /// Signed 32-bit integer, `<i4`.
    case int32
    /// Signed 64-bit integer, `<i8`.
    case int64
    /// Unsigned 8-bit integer, `|u1`.
    case uint8
    /// Unsigned 64-bit integer, `<u8`.
    case uint64
    /// Boolean stored as one byte, `|b1`.
    case bool
    /// The structured uid record `[('f0', '<u8'), ('f1', '<u8')]` (16 bytes).
    case sampleID

    /// The size of one element in bytes.
    public var itemSize: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .float16: return 2
        case .float32, .int32: return 4
        case .float64, .int64, .uint64: return 8
        case .sampleID: return 16
        }
    }

    /// The `descr` value exactly as `np.save` writes it, for example `'<f4'` or
    /// `[('f0', '<u8'), ('f1', '<u8')]`.
    public var descr: String {
        switch self {
        case .float16: return "'<f2'"
        case .float32: return "'<f4'"
        case .float64: return "'<f8'"
        case .int8: return "'|i1'"
        case .int32: return "'<i4'"
        case .int64: return "'<i8'"
        case .uint8: return "'|u1'"
        case .uint64: return "'<u8'"
        case .bool: return "'|b1'"
        case .sampleID: return "[('f0', '<u8'), ('f1', '<u8')]"
        }
    }

    /// The NumPy type string without Python quoting, for example `<f4`, or
    /// `[('f0', '<u8'), ('f1', '<u8')]` for ``sampleID``.
    public var description: String {
        self == .sampleID ? descr : String(descr.dropFirst().dropLast())
    }

    /// Maps a simple type string such as `<f4` to a data type.
    static func simple(_ text: String) -> NPYDataType? {
        switch text {
        case "<f2": return .float16
        case "<f4": return .float32
        case "<f8": return .float64
        case "|i1", "<i1", "i1": return .int8
        case "<i4": return .int32
        case "<i8": return .int64
        case "|u1", "<u1", "u1": return .uint8
        case "<u8": return .uint64
        case "|b1", "<b1", "b1": return .bool
        default: return nil
        }
    }

    /// Interprets a parsed `descr` value.
    static func from(descr value: PythonLiteral) throws -> NPYDataType {
        switch value {
        case .string(let text):
            if let type = simple(text) { return type }
            if text.hasPrefix(">") {
                throw DataCompError(
                    .unsupportedDataType,
                    "the array is big-endian ('\(text)'); re-save it little-endian with arr.astype(arr.dtype.newbyteorder('<'))"
                )
            }
            throw DataCompError(
                .unsupportedDataType,
                "unsupported dtype '\(text)'; expected one of <f2 <f4 <f8 |i1 <i4 <i8 |u1 <u8 |b1 or [('f0', '<u8'), ('f1', '<u8')]"
            )
        case .list(let fields):
            let names = fields.map { field -> String in
                if case .tuple(let parts) = field, parts.count == 2,
                    case .string(let name) = parts[0], case .string(let type) = parts[1]
                {
                    return "\(name):\(type)"
                }
                return "?"
            }
            if names == ["f0:<u8", "f1:<u8"] { return .sampleID }
            throw DataCompError(
                .unsupportedDataType,
                "unsupported structured dtype \(value); the only structured dtype read is [('f0', '<u8'), ('f1', '<u8')] (np.dtype('u8,u8'))"
            )
        default:
            throw DataCompError(
                .invalidFormat, "the header's 'descr' is \(value), expected a dtype string or a list of fields")
        }
    }
}
