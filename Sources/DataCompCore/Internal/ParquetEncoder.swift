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

package enum ParquetPlainEncoder {
    /// Appends the PLAIN encoding of slots `slots` (skipping null slots) of `values`.
    package static func encode(_ values: ParquetColumn.Values, validity: ParquetValidity?, slots: Range<Int>, into out: inout [UInt8]) {
        func fixed<T>(_ array: [T]) {
            array.withUnsafeBytes { raw in
                let width = MemoryLayout<T>.stride
                if validity == nil || validity?.nullCount == 0 {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(slots.lowerBound * width)..<(slots.upperBound * width)]))
                } else if let validity {
                    for slot in slots where validity[slot] {
                        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(slot * width)..<((slot + 1) * width)]))
                    }
                }
            }
        }
        switch values {
        case .boolean(let v):
            var byte: UInt8 = 0
            var bit = 0
            for slot in slots where validity?[slot] ?? true {
                if v[slot] { byte |= 1 << UInt8(bit) }
                bit += 1
                if bit == 8 { out.append(byte); byte = 0; bit = 0 }
            }
            if bit > 0 { out.append(byte) }
        case .int32(let v): fixed(v)
        case .int64(let v): fixed(v)
        case .float(let v): fixed(v)
        case .double(let v): fixed(v)
        case .string(let v), .binary(let v):
            v.bytes.withUnsafeBytes { raw in
                for slot in slots where validity?[slot] ?? true {
                    let begin = v.offsets[slot]
                    let end = v.offsets[slot + 1]
                    let length = UInt32(end - begin)
                    withUnsafeBytes(of: length.littleEndian) { out.append(contentsOf: $0) }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[begin..<end]))
                }
            }
        case .fixedLengthBinary(let v):
            v.bytes.withUnsafeBytes { raw in
                for slot in slots where validity?[slot] ?? true {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[v.offsets[slot]..<v.offsets[slot + 1]]))
                }
            }
        }
    }
}

/// Generates repetition and definition levels for rows of a column.
package struct ParquetLevelGenerator {
    let column: ParquetColumn
    var repetition: [UInt16] = []
    var definition: [UInt16] = []

    package init(column: ParquetColumn) { self.column = column }

    /// Appends the levels of rows `rows`.
    package mutating func generate(rows: Range<Int>) {
        let maxDef = column.descriptor.maxDefinitionLevel
        if column.lists.isEmpty {
            if maxDef == 0 { return }
            for row in rows { definition.append(column.isValid(row) ? UInt16(maxDef) : UInt16(maxDef - 1)) }
            return
        }
        for row in rows { list(level: 0, index: row, rep: 0) }
    }

    private mutating func list(level: Int, index: Int, rep: Int) {
        let levels = column.descriptor.elementDefinitionLevels
        let list = column.lists[level]
        let present = levels[level] - 1
        if let validity = list.validity, !validity[index] {
            repetition.append(UInt16(rep))
            definition.append(UInt16(present - 1))
            return
        }
        let begin = list.offsets[index]
        let end = list.offsets[index + 1]
        if begin == end {
            repetition.append(UInt16(rep))
            definition.append(UInt16(present))
            return
        }
        for element in begin..<end {
            let r = element == begin ? rep : level + 1
            if level + 1 < column.lists.count {
                self.list(level: level + 1, index: element, rep: r)
            } else {
                repetition.append(UInt16(r))
                let maxDef = column.descriptor.maxDefinitionLevel
                definition.append(column.isValid(element) ? UInt16(maxDef) : UInt16(maxDef - 1))
            }
        }
    }
}
