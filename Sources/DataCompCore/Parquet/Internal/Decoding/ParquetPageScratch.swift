/// Reusable buffers for page decoding.
package final class ParquetPageScratch {
    let decompressed = ParquetScratchBuffer()
    var repetition = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    var definition = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    /// Dictionary indices and RLE booleans of one page (the same capacity as the levels).
    var indices = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    var levelCapacity = 1
    var slotValid: [Bool] = []

    package init() {}

    deinit {
        repetition.deallocate()
        definition.deallocate()
        indices.deallocate()
    }

    func reserveLevels(_ n: Int) {
        guard n > levelCapacity else { return }
        repetition.deallocate()
        definition.deallocate()
        indices.deallocate()
        levelCapacity = max(n, levelCapacity * 2)
        repetition = .allocate(capacity: levelCapacity)
        definition = .allocate(capacity: levelCapacity)
        indices = .allocate(capacity: levelCapacity)
    }
}
