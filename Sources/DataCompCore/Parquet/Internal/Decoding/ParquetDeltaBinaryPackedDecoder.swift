// Decoders for the Parquet value and level encodings. All functions work on raw buffers, check
// every length against the bytes available and throw `DataCompError` (without a position: the
// page reader adds the page's file offset).

/// Reads `width` (0...64) bits starting at bit `bit` of `bytes`, LSB first.
///
/// The caller makes
/// sure the bits lie inside the buffer.
@inline(__always)
private func readBits(_ bytes: UnsafeRawBufferPointer, bit: Int, width: Int) -> UInt64 {
    if width == 0 { return 0 }
    let byte = bit >> 3
    let shift = UInt64(bit & 7)
    let base = bytes.requiredBaseAddress
    var low: UInt64
    if byte + 8 <= bytes.count {
        low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
    } else {
        low = 0
        var i = 0
        while byte + i < bytes.count && i < 8 {
            low |= UInt64(base.load(fromByteOffset: byte + i, as: UInt8.self)) << UInt64(8 * i)
            i += 1
        }
    }
    var value = low >> shift
    if UInt64(width) + shift > 64 {
        let extra = byte + 8 < bytes.count ? UInt64(base.load(fromByteOffset: byte + 8, as: UInt8.self)) : 0
        value |= extra << (64 - shift)
    }
    return width == 64 ? value : value & ((1 << UInt64(width)) - 1)
}

/// Decodes DELTA_BINARY_PACKED integers (as 64-bit two's-complement patterns; 32-bit columns
/// keep the low half).
package struct ParquetDeltaBinaryPackedDecoder {
    private let bytes: UnsafeRawBufferPointer
    package private(set) var offset = 0

    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private mutating func varint() throws -> UInt64 {
        switch ByteReader.decodeULEB128(bytes, at: &offset) {
        case .success(let value): return value
        case .failure(.truncated): throw parquetPageCorruption("a DELTA_BINARY_PACKED header is cut off")
        case .failure(.overflow): throw parquetPageCorruption("a DELTA_BINARY_PACKED integer overflows 64 bits")
        }
    }

    private mutating func zigzag() throws -> UInt64 {
        let raw = try varint()
        return (raw >> 1) ^ (0 &- (raw & 1))
    }

    /// Decodes the header and all values it declares; returns them (at most `limit`, which
    /// guards against impossible counts).
    package mutating func decodeAll(limit: Int) throws -> [UInt64] {
        let blockSize = try varint()
        let miniblocks = try varint()
        let total = try varint()
        var last = try zigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20 else {
            throw parquetPageCorruption(
                "a DELTA_BINARY_PACKED block size of \(blockSize) is impossible (a positive multiple of 128 expected)")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw parquetPageCorruption(
                "\(miniblocks) DELTA_BINARY_PACKED miniblocks per block of \(blockSize) is impossible")
        }
        guard total <= UInt64(limit) else {
            throw parquetPageCorruption(
                "DELTA_BINARY_PACKED declares \(total) values but the page holds at most \(limit)")
        }
        let count = Int(total)
        let perMiniblock = Int(blockSize / miniblocks)
        var result = [UInt64]()
        result.reserveCapacity(count)
        if count == 0 { return result }
        result.append(last)
        while result.count < count {
            let minDelta = try zigzag()
            let widthsStart = offset
            guard Int(miniblocks) <= bytes.count - offset else {
                throw parquetPageCorruption("DELTA_BINARY_PACKED bit widths are cut off")
            }
            offset += Int(miniblocks)
            for m in 0..<Int(miniblocks) where result.count < count {
                let width = Int(bytes[widthsStart + m])
                guard width <= 64 else {
                    throw parquetPageCorruption("a DELTA_BINARY_PACKED bit width of \(width) is impossible")
                }
                let runBytes = perMiniblock * width / 8
                let n = min(perMiniblock, count - result.count)
                let needed = (n * width + 7) / 8
                let available = min(runBytes, bytes.count - offset)
                guard needed <= available else {
                    throw parquetPageCorruption("a DELTA_BINARY_PACKED miniblock is cut off")
                }
                let run = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + available)])
                var bit = 0
                for _ in 0..<n {
                    last = last &+ minDelta &+ readBits(run, bit: bit, width: width)
                    result.append(last)
                    bit += width
                }
                offset += available
            }
        }
        return result
    }
}
