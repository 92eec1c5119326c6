/// A Swift number type whose memory layout matches one ``NPYDataType``, so that array data can
/// be read in place.
///
/// Conforming types: `Float16` (`<f2`), `Float` (`<f4`), `Double` (`<f8`), `Int8` (`|i1`),
/// `Int32` (`<i4`), `Int64` (`<i8`), `UInt8` (`|u1`) and `UInt64` (`<u8`). Do not add
/// conformances of your own.
public protocol NPYScalar: BitwiseCopyable, Sendable {
    /// The NumPy element type with this type's layout.
    static var npyDataType: NPYDataType { get }
}

extension Float16: NPYScalar {
    /// `<f2`.
    public static var npyDataType: NPYDataType { .float16 }
}

extension Float: NPYScalar {
    /// `<f4`.
    public static var npyDataType: NPYDataType { .float32 }
}

extension Double: NPYScalar {
    /// `<f8`.
    public static var npyDataType: NPYDataType { .float64 }
}

extension Int8: NPYScalar {
    /// `|i1`.
    public static var npyDataType: NPYDataType { .int8 }
}

extension Int32: NPYScalar {
    /// `<i4`.
    public static var npyDataType: NPYDataType { .int32 }
}

extension Int64: NPYScalar {
    /// `<i8`.
    public static var npyDataType: NPYDataType { .int64 }
}

extension UInt8: NPYScalar {
    /// `|u1`.
    public static var npyDataType: NPYDataType { .uint8 }
}

extension UInt64: NPYScalar {
    /// `<u8`.
    public static var npyDataType: NPYDataType { .uint64 }
}
