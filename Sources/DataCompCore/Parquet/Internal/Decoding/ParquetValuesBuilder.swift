/// The values of one column under construction: fixed-width scalars as raw little-endian bytes,
/// or variable-length byte arrays as one data buffer plus offsets.
package final class ParquetValuesBuilder {
    /// Bytes per value for fixed-width types, or `nil` for byte arrays.
    package let width: Int?
    /// For FIXED_LEN_BYTE_ARRAY and INT96: the length of each byte array.
    package let fixedByteArrayLength: Int?
    package let data = ParquetByteBuilder()
    package var offsets: [Int] = [0]

    package init(width: Int?, fixedByteArrayLength: Int?) {
        self.width = width
        self.fixedByteArrayLength = fixedByteArrayLength
    }

    /// Reserves room for about `bytes` more data bytes and `values` more values.
    package func reserve(bytes: Int, values: Int) {
        data.reserve(max(0, bytes))
        let needed = offsets.count + max(0, values)
        if width == nil, needed > offsets.capacity {
            let old = offsets
            offsets = [Int](unsafeUninitializedCapacity: needed) { buffer, initialized in
                parquetAdviseHugePages(UnsafeMutableRawBufferPointer(buffer))
                old.withUnsafeBufferPointer { source in
                    if let from = source.baseAddress {
                        buffer.requiredBaseAddress.initialize(from: from, count: source.count)
                    }
                }
                initialized = old.count
            }
        }
    }

    /// The number of values built.
    package var valueCount: Int {
        if let width { return width == 0 ? 0 : data.count / width }
        return offsets.count - 1
    }

    /// Appends byte arrays given by their lengths, taking the bytes back to back from `source`.
    package func appendByteArrays(lengths: [Int], from source: UnsafeRawPointer) {
        var total = 0
        for length in lengths { total += length }
        offsets.reserveCapacity(offsets.count + lengths.count)
        data.write(reserving: total) { base, start in
            (base + start).copyMemory(from: source, byteCount: total)
            return total
        }
        var end = data.count - total
        for length in lengths {
            end += length
            offsets.append(end)
        }
    }

    /// Moves the last `denseCount` values apart so that they fill the last `valid.count` slots,
    /// leaving zero (or empty) values in the slots whose flag is `false`.
    package func spread(denseCount: Int, valid: UnsafeBufferPointer<Bool>) {
        let slots = valid.count
        guard slots > denseCount else { return }
        if let width {
            let extra = (slots - denseCount) * width
            data.write(reserving: extra) { base, count in
                let start = count - denseCount * width
                var source = denseCount - 1
                var slot = slots - 1
                while slot >= 0 {
                    let target = base + start + slot * width
                    if valid[slot] {
                        if source != slot { target.copyMemory(from: base + start + source * width, byteCount: width) }
                        source -= 1
                    } else {
                        target.initializeMemory(as: UInt8.self, repeating: 0, count: width)
                    }
                    slot -= 1
                }
                return extra
            }
        } else {
            let start = offsets.count - 1 - denseCount
            var newTail = [Int]()
            newTail.reserveCapacity(slots)
            var source = start + 1
            var current = offsets[start]
            for slot in 0..<slots {
                if valid[slot] {
                    current = offsets[source]
                    source += 1
                }
                newTail.append(current)
            }
            offsets.removeLast(denseCount)
            offsets.append(contentsOf: newTail)
        }
    }
}
