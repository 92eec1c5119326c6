// Encoders used by the Parquet writer: the RLE/bit-packed hybrid for levels, PLAIN values, and
// level generation from list offsets and validity.

package enum ParquetLevelEncoder {
    /// Encodes `levels` with the RLE/bit-packed hybrid at `bitWidth`: runs of at least eight
    /// equal values become RLE runs, everything else bit-packed groups of eight.
    package static func hybrid(_ levels: [UInt16], bitWidth: Int, into out: inout [UInt8]) {
        let n = levels.count
        let valueBytes = (bitWidth + 7) / 8
        var pending: [UInt16] = []
        func varint(_ value: Int) {
            var v = UInt64(value)
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        func flushPending() {
            guard !pending.isEmpty else { return }
            while pending.count % 8 != 0 { pending.append(0) }
            varint((pending.count / 8) << 1 | 1)
            var accumulator: UInt64 = 0
            var bits = 0
            for value in pending {
                accumulator |= UInt64(value) << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    out.append(UInt8(accumulator & 0xFF))
                    accumulator >>= 8
                    bits -= 8
                }
            }
            if bits > 0 { out.append(UInt8(accumulator & 0xFF)) }
            pending.removeAll(keepingCapacity: true)
        }
        func rle(_ value: UInt16, _ count: Int) {
            varint(count << 1)
            for i in 0..<valueBytes { out.append(UInt8(truncatingIfNeeded: Int(value) >> (8 * i))) }
        }
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && levels[j] == levels[i] { j += 1 }
            var run = j - i
            let fill = (8 - pending.count % 8) % 8
            if run >= fill + 8 {
                for _ in 0..<fill { pending.append(levels[i]) }
                run -= fill
                flushPending()
                rle(levels[i], run)
            } else {
                pending.append(contentsOf: levels[i..<j])
            }
            i = j
        }
        flushPending()
    }

    /// The bit width needed for levels up to `maxLevel`.
    package static func bitWidth(_ maxLevel: Int) -> Int {
        maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
    }
}
