package enum ParquetPlainEncoder {
    /// Appends the PLAIN encoding of slots `slots` (skipping null slots) of `values`.
    package static func encode(
        _ values: ParquetColumn.Values, validity: ParquetValidity?, slots: Range<Int>, into out: inout [UInt8]
    ) {
        func fixed<T>(_ array: [T]) {
            array.withUnsafeBytes { raw in
                let width = MemoryLayout<T>.stride
                if validity == nil || validity?.nullCount == 0 {
                    out.append(
                        contentsOf: UnsafeRawBufferPointer(
                            rebasing: raw[(slots.lowerBound * width)..<(slots.upperBound * width)]))
                } else if let validity {
                    for slot in slots where validity[slot] {
                        out.append(
                            contentsOf: UnsafeRawBufferPointer(rebasing: raw[(slot * width)..<((slot + 1) * width)]))
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
