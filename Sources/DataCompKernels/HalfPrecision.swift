/// Bulk conversions between 32-bit floats and the 16-bit formats (IEEE half, bfloat16), over raw
/// little-endian bytes that need not be aligned.
///
/// Float32 → Float16 rounds to nearest, ties to even, with overflow to infinity, exactly as
/// numpy's `astype(np.float16)`, and both directions carry NaN payloads over without quieting
/// them, as numpy's `npy_floatbits_to_halfbits`/`npy_halfbits_to_floatbits` do (Swift's own
/// conversions set the quiet bit); Float32 → bfloat16 rounds the same way, as PyTorch's
/// `to(torch.bfloat16)` on CPU (NaN becomes `0xFFFF`, as PyTorch 2.13's vectorised conversion writes).
package enum HalfPrecision {
    /// Converts `source` (little-endian Float16 values) into `destination`.
    package static func float16ToFloat32(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>
    ) {
        let count = destination.count
        precondition(source.count == count * 2, "byte count \(source.count) does not match \(count) Float16 values")
        guard count > 0, let out = destination.baseAddress, let input = source.baseAddress else { return }
        for index in 0..<count {
            out[index] = widen(UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
        }
    }

    /// Converts `source` into little-endian Float16 values in `destination`.
    package static func float32ToFloat16(
        _ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer
    ) {
        let count = source.count
        precondition(
            destination.count == count * 2, "byte count \(destination.count) does not match \(count) Float16 values")
        guard count > 0, let input = source.baseAddress, let out = destination.baseAddress else { return }
        for index in 0..<count {
            out.storeBytes(of: narrow(input[index]).littleEndian, toByteOffset: 2 * index, as: UInt16.self)
        }
    }

    /// One Float16 bit pattern widened exactly, like numpy (NaN payloads kept, not quieted).
    @inline(__always)
    package static func widen(_ bits: UInt16) -> Float {
        let half = UInt32(bits)
        var result = (half & 0x7FFF) << 13
        let exponent = result & 0x0F80_0000
        result &+= 0x3800_0000  // rebias the exponent: (127 - 15) << 23
        if exponent == 0x0F80_0000 {
            result &+= 0x3800_0000  // infinity or NaN: all exponent bits set
        } else if exponent == 0 {
            // Zero or subnormal: renormalise exactly through one float subtraction.
            result = (Float(bitPattern: result &+ 0x0080_0000) - Float(bitPattern: 0x3880_0000)).bitPattern
        }
        return Float(bitPattern: result | (half & 0x8000) << 16)
    }

    /// One value narrowed like numpy: round to nearest even, overflow to infinity, NaN payload's
    /// top bits kept (a payload that would vanish becomes 1).
    @inline(__always)
    package static func narrow(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = (bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        var result: UInt32
        if magnitude >= 0x4780_0000 {
            // At least 65536: infinity, or NaN with its payload.
            result = 0x7C00
            if magnitude > 0x7F80_0000 {
                result |= (magnitude & 0x007F_FFFF) >> 13
                if result == 0x7C00 { result = 0x7C01 }
            }
        } else if magnitude < 0x3880_0000 {
            // Below 2^-14: the result is subnormal or zero; let the FPU round (to nearest even)
            // by adding 0.5, which lines the 10 mantissa bits up at the bottom.
            result = (Float(bitPattern: magnitude) + 0.5).bitPattern &- 0x3F00_0000
        } else {
            // Normal: rebias the exponent ((15 - 127) << 23) and round to nearest even on bit 13.
            let odd = (magnitude >> 13) & 1
            result = (magnitude &+ 0xC800_0FFF &+ odd) >> 13
        }
        return UInt16(truncatingIfNeeded: result | sign)
    }

    /// Converts `source` (little-endian bfloat16 values) into `destination`.
    package static func bfloat16ToFloat32(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>
    ) {
        let count = destination.count
        precondition(source.count == count * 2, "byte count \(source.count) does not match \(count) bfloat16 values")
        guard count > 0, let out = destination.baseAddress, let input = source.baseAddress else { return }
        for index in 0..<count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
            out[index] = Float(bitPattern: UInt32(bits) << 16)
        }
    }

    /// Converts `source` into little-endian bfloat16 values in `destination` (round to nearest even).
    package static func float32ToBFloat16(
        _ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer
    ) {
        let count = source.count
        precondition(
            destination.count == count * 2, "byte count \(destination.count) does not match \(count) bfloat16 values")
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
