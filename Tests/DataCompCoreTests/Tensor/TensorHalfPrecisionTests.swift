import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct TensorHalfPrecisionTests {
    @Test("Float32 → Float16 rounds exactly like numpy astype(np.float16)")
    func float32ToFloat16MatchesNumpy() throws {
        // Reference: numpy 1.x/2.x astype(np.float16) via Scripts/fixtures/tensor_fixtures.py; exact bits.
        let input = try littleEndianFixture("f32_to_f16_input.bin", as: UInt32.self).map(Float.init(bitPattern:))
        let expected = try littleEndianFixture("f32_to_f16_expected.bin", as: UInt16.self)
        let bits = Tensor(shape: [input.count], scalars: input).float16Bits()
        #expect(bits.count == expected.count)
        let mismatches = zip(bits, expected).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5).map { (input[$0.offset], $0.element) })")
    }

    @Test("Float16 → Float32 widens exactly like numpy astype(np.float32)")
    func float16ToFloat32MatchesNumpy() throws {
        // Reference: numpy astype(np.float32) of random float16 patterns, infinities and NaNs
        // (numpy keeps NaN payloads unquieted); exact bits.
        let input = try littleEndianFixture("f16_to_f32_input.bin", as: UInt16.self)
        let expected = try littleEndianFixture("f16_to_f32_expected.bin", as: UInt32.self)
        let widened = Tensor(shape: [input.count], float16Bits: input)
        #expect(widened.scalars.map(\.bitPattern) == expected)
    }

    @Test("Every Float16 bit pattern survives widening and rounding back")
    func everyFloat16PatternRoundTrips() {
        let patterns = (0...UInt16.max).map { $0 }
        let tensor = Tensor(shape: [patterns.count], float16Bits: patterns)
        let back = tensor.float16Bits()
        // NaNs stay NaNs and keep their payload both ways (numpy's behaviour).
        #expect(zip(patterns, tensor.scalars).allSatisfy { (($0 & 0x7C00) == 0x7C00 && ($0 & 0x3FF) != 0) == $1.isNaN })
        #expect(back == patterns)
    }

    @Test("Rounding to Float16 agrees with IEEE round-to-nearest-even on a million random non-NaN floats")
    func float16RoundingAgreesWithIEEE() {
        // Reference: Swift's Float16(Float) (IEEE 754 conversion, ties to even); exact bits.
        var random = SplitMix64(seed: 16)
        let values = (0..<1_000_000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random)) }
            .filter { !$0.isNaN }
        let bits = Tensor(shape: [values.count], scalars: values).float16Bits()
        #expect(bits == values.map { Float16($0).bitPattern })
    }

    @Test("bfloat16 conversion rounds to nearest even and widens exactly")
    func bfloat16RoundTrips() {
        // 1 + 2^-8 is halfway between bfloat16 1.0 and 1.0078125: ties to even (1.0).
        let values: [Float] = [1, 1 + 0x1p-8, 1 + 0x1p-7 + 0x1p-8, -2.5, .infinity, .nan, 3.3895314e38]
        let bits = Tensor(shape: [values.count], scalars: values).bfloat16Bits()
        // Reference: torch.tensor(values).to(torch.bfloat16).view(torch.int16), PyTorch 2.13.0+cpu
        // (its vectorised path writes NaN as 0xFFFF); exact bits.
        #expect(bits == [0x3F80, 0x3F80, 0x3F82, 0xC020, 0x7F80, 0xFFFF, 0x7F7F])
        let widened = Tensor(shape: [3], bfloat16Bits: [0x3F80, 0xC020, 0x0001])
        #expect(widened.scalars == [1, -2.5, Float(bitPattern: 0x0001_0000)])
    }
}
