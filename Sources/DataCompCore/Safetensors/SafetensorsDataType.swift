/// An element type of a safetensors file, spelled as in the header (`"F32"`, `"BF16"`, …).
///
/// Every type can be read and written as raw bytes; ``float32``, ``float16`` and ``bfloat16``
/// also convert to and from ``Tensor``.
public enum SafetensorsDataType: String, Sendable, CaseIterable, Hashable {
    /// Booleans, one byte each.
    case bool = "BOOL"
    /// Unsigned 8-bit integers.
    case uint8 = "U8"
    /// Signed 8-bit integers.
    case int8 = "I8"
    /// 8-bit floats with 5 exponent and 2 mantissa bits.
    case float8E5M2 = "F8_E5M2"
    /// 8-bit floats with 4 exponent and 3 mantissa bits.
    case float8E4M3 = "F8_E4M3"
    /// 8-bit power-of-two scales (8 exponent bits, no mantissa).
    case float8E8M0 = "F8_E8M0"
    /// Signed 16-bit integers.
    case int16 = "I16"
    /// Unsigned 16-bit integers.
    case uint16 = "U16"
    /// IEEE half-precision floats.
    case float16 = "F16"
    /// bfloat16 floats.
    case bfloat16 = "BF16"
    /// Signed 32-bit integers.
    case int32 = "I32"
    /// Unsigned 32-bit integers.
    case uint32 = "U32"
    /// IEEE single-precision floats.
    case float32 = "F32"
    /// Complex numbers of two 32-bit floats.
    case complex64 = "C64"
    /// IEEE double-precision floats.
    case float64 = "F64"
    /// Signed 64-bit integers.
    case int64 = "I64"
    /// Unsigned 64-bit integers.
    case uint64 = "U64"

    /// The number of bytes per element.
    public var byteCount: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3, .float8E8M0: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64, .complex64: return 8
        }
    }

    /// The position of the type in the Rust `safetensors` crate's `Dtype` enum; tensors are
    /// written in decreasing order of this rank, then by name.
    var sortRank: Int {
        switch self {
        case .bool: return 0
        case .uint8: return 4
        case .int8: return 5
        case .float8E5M2: return 6
        case .float8E4M3: return 7
        case .float8E8M0: return 8
        case .int16: return 9
        case .uint16: return 10
        case .float16: return 11
        case .bfloat16: return 12
        case .int32: return 13
        case .uint32: return 14
        case .float32: return 15
        case .complex64: return 16
        case .float64: return 17
        case .int64: return 18
        case .uint64: return 19
        }
    }
}
