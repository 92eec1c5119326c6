// Decoders for the Parquet value and level encodings. All functions work on raw buffers, check
// every length against the bytes available and throw `DataCompError` (without a position: the
// page reader adds the page's file offset).

/// Decodes the RLE/bit-packed hybrid encoding (levels, dictionary indices, RLE booleans).
package struct ParquetHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private let bitWidth: Int

    package init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws {
        guard (0...32).contains(bitWidth) else {
            throw parquetPageCorruption("a bit width of \(bitWidth) is impossible (0 to 32 allowed)")
        }
        self.bytes = bytes
        self.bitWidth = bitWidth
    }

    /// The number of bytes consumed so far.
    package var consumed: Int { offset }

    private mutating func varint() throws -> UInt64 {
        switch ByteReader.decodeULEB128(bytes, at: &offset) {
        case .success(let value): return value
        case .failure(.truncated): throw parquetPageCorruption("the run header of an RLE/bit-packed run is cut off")
        case .failure(.overflow): throw parquetPageCorruption("an RLE run header overflows 64 bits")
        }
    }

    /// Decodes exactly `count` values into `output`.
    package mutating func decode(into output: UnsafeMutablePointer<UInt32>, count: Int) throws {
        var done = 0
        let valueBytes = (bitWidth + 7) / 8
        while done < count {
            let header = try varint()
            if header & 1 == 0 {
                guard header >> 1 <= UInt64(Int32.max) else {
                    throw parquetPageCorruption("an RLE run of \(header >> 1) values is impossible")
                }
                let run = Int(header >> 1)
                guard valueBytes <= bytes.count - offset else {
                    throw parquetPageCorruption("an RLE run's value is cut off")
                }
                var value: UInt32 = 0
                for i in 0..<valueBytes { value |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
                offset += valueBytes
                let n = min(run, count - done)
                (output + done).initialize(repeating: value, count: n)
                done += n
            } else {
                guard header >> 1 <= UInt64(Int32.max / 8) else {
                    throw parquetPageCorruption("a bit-packed run of \(header >> 1) groups is impossible")
                }
                let values = Int(header >> 1) * 8
                let runBytes = Int(header >> 1) * bitWidth
                let n = min(values, count - done)
                let neededBytes = (n * bitWidth + 7) / 8
                let available = min(runBytes, bytes.count - offset)
                guard neededBytes <= available else { throw parquetPageCorruption("a bit-packed run is cut off") }
                let run = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + available)])
                unpack(run, width: bitWidth, count: n, into: output + done)
                offset += available
                done += n
            }
        }
    }

    private func unpack(
        _ run: UnsafeRawBufferPointer, width: Int, count: Int, into output: UnsafeMutablePointer<UInt32>
    ) {
        if width == 0 {
            output.initialize(repeating: 0, count: count)
            return
        }
        // A 64-bit bit buffer refilled 32 bits at a time; the caller checked that the run holds
        // at least `count * width` bits.
        guard let base = run.baseAddress else { return }
        let mask: UInt64 = (1 << UInt64(width)) - 1
        var accumulator: UInt64 = 0
        var bits = 0
        var position = 0
        let end = run.count
        for i in 0..<count {
            if bits < width {
                if position + 4 <= end {
                    accumulator |=
                        UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                        << UInt64(bits)
                    position += 4
                    bits += 32
                } else {
                    while bits < width && position < end {
                        accumulator |= UInt64(base.load(fromByteOffset: position, as: UInt8.self)) << UInt64(bits)
                        position += 1
                        bits += 8
                    }
                }
            }
            output[i] = UInt32(truncatingIfNeeded: accumulator & mask)
            accumulator >>= UInt64(width)
            bits -= width
        }
    }

    /// If `bytes` starts with an RLE run of at least `count` values, returns that run's value.
    package static func leadingRun(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int) -> UInt32? {
        guard (0...32).contains(bitWidth) else { return nil }
        var header: UInt64 = 0
        var shift: UInt64 = 0
        var offset = 0
        while true {
            guard offset < bytes.count, shift < 64 else { return nil }
            let byte = bytes[offset]
            offset += 1
            header |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        let valueBytes = (bitWidth + 7) / 8
        guard header & 1 == 0, header >> 1 >= UInt64(count), valueBytes <= bytes.count - offset else { return nil }
        var value: UInt32 = 0
        for i in 0..<valueBytes { value |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
        return value
    }
}
