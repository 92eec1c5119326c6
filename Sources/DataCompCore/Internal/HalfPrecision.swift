/// Bulk conversions between 32-bit floats and the 16-bit formats (IEEE half, bfloat16), over raw
/// little-endian bytes that need not be aligned.
///
/// Float32 → Float16 rounds to nearest, ties to even, with overflow to infinity, exactly as
/// numpy's `astype(np.float16)`; Float32 → bfloat16 rounds the same way, as PyTorch's
/// `to(torch.bfloat16)` on CPU (NaN becomes `0xFFFF`, as PyTorch 2.13's vectorised conversion writes).
package enum HalfPrecision {
    /// Converts `source` (little-endian Float16 values) into `destination`.
    package static func float16ToFloat32(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        let count = destination.count
        precondition(source.count == count * 2, "byte count \(source.count) does not match \(count) Float16 values")
        guard count > 0, let out = destination.baseAddress, let input = source.baseAddress else { return }
        var index = 0
        while index + 8 <= count {
            var bits = SIMD8<UInt16>()
            for lane in 0..<8 { bits[lane] = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * (index + lane), as: UInt16.self)) }
            let wide = SIMD8<Float>(unsafeBitCast(bits, to: SIMD8<Float16>.self))
            UnsafeMutableRawPointer(out + index).storeBytes(of: wide, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
            out[index] = Float(Float16(bitPattern: bits))
            index += 1
        }
    }

    /// Converts `source` into little-endian Float16 values in `destination`.
    package static func float32ToFloat16(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer) {
        let count = source.count
        precondition(destination.count == count * 2, "byte count \(destination.count) does not match \(count) Float16 values")
        guard count > 0, let input = source.baseAddress, let out = destination.baseAddress else { return }
        var index = 0
        while index + 8 <= count {
            let wide = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD8<Float>.self)
            let narrow = unsafeBitCast(SIMD8<Float16>(wide), to: SIMD8<UInt16>.self)
            for lane in 0..<8 { out.storeBytes(of: narrow[lane].littleEndian, toByteOffset: 2 * (index + lane), as: UInt16.self) }
            index += 8
        }
        while index < count {
            out.storeBytes(of: Float16(input[index]).bitPattern.littleEndian, toByteOffset: 2 * index, as: UInt16.self)
            index += 1
        }
    }

    /// Converts `source` (little-endian bfloat16 values) into `destination`.
    package static func bfloat16ToFloat32(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        let count = destination.count
        precondition(source.count == count * 2, "byte count \(source.count) does not match \(count) bfloat16 values")
        guard count > 0, let out = destination.baseAddress, let input = source.baseAddress else { return }
        var index = 0
        while index + 8 <= count {
            var bits = SIMD8<UInt32>()
            for lane in 0..<8 {
                bits[lane] = UInt32(UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * (index + lane), as: UInt16.self)))
            }
            UnsafeMutableRawPointer(out + index).storeBytes(of: unsafeBitCast(bits &<< 16, to: SIMD8<Float>.self), as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
            out[index] = Float(bitPattern: UInt32(bits) << 16)
            index += 1
        }
    }

    /// Converts `source` into little-endian bfloat16 values in `destination` (round to nearest even).
    package static func float32ToBFloat16(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer) {
        let count = source.count
        precondition(destination.count == count * 2, "byte count \(destination.count) does not match \(count) bfloat16 values")
        guard count > 0, let out = destination.baseAddress else { return }
        for index in 0..<count {
            out.storeBytes(of: bfloat16Bits(source[index]).littleEndian, toByteOffset: 2 * index, as: UInt16.self)
        }
    }

    /// The bfloat16 bit pattern nearest to `value` (ties to even; NaN → 0xFFFF), as PyTorch rounds.
    package static func bfloat16Bits(_ value: Float) -> UInt16 {
        if value.isNaN { return 0xFFFF }
        let bits = value.bitPattern
        let bias = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ bias) >> 16)
    }
}
