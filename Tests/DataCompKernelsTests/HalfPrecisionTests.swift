import Testing

@testable import DataCompKernels

@Suite struct HalfPrecisionTests {
    @Test("Widening and narrowing round-trip every float16 bit pattern, NaN payloads included")
    func roundTrips() {
        let failures = (0...UInt16.max).filter { HalfPrecision.narrow(HalfPrecision.widen($0)) != $0 }
        #expect(failures.isEmpty, "\(failures.count) patterns change, first \(failures.first ?? 0)")
    }
}
