import Testing

@testable import DataCompKernels

@Suite struct BLASThreadsTests {
    @Test("The thread count is set, read back and restored")
    func setsAndRestores() {
        let before = BLASThreads.count
        BLASThreads.withCount(1) { #expect(BLASThreads.count == 1) }
        #expect(BLASThreads.count == before)
    }
}
