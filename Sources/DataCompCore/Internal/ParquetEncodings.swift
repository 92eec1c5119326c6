// Decoders for the Parquet value and level encodings. All functions work on raw buffers, check
// every length against the bytes available and throw `DataCompError` (without a position: the
// page reader adds the page's file offset).

@inline(__always)
private func corrupt(_ message: String) -> DataCompError {
    DataCompError(.corruptData, message + "; the page is corrupted")
}

/// A growable, uninitialised byte buffer used to build column values without per-value
/// allocation.
package final class ParquetScratchBuffer {
    package private(set) var base: UnsafeMutableRawPointer?
    package private(set) var count = 0
    private var capacity = 0

    package init() {}

    deinit { base?.deallocate() }

    /// Makes room for `additional` more bytes and returns a pointer to the first of them.
    @inline(__always)
    package func reserve(_ additional: Int) -> UnsafeMutableRawPointer {
        let needed = count + additional
        if needed > capacity || base == nil {
            var newCapacity = max(capacity * 2, 64)
            while newCapacity < needed { newCapacity *= 2 }
            let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            if let base {
                newBase.copyMemory(from: base, byteCount: count)
                base.deallocate()
            }
            base = newBase
            capacity = newCapacity
        }
        return base! + count
    }

    /// Marks `n` reserved bytes as written.
    @inline(__always)
    package func commit(_ n: Int) { count += n }

    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let source = bytes.baseAddress else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    package func removeAll() { count = 0 }

    /// Shrinks the logical size to `newCount` bytes.
    package func truncate(to newCount: Int) { count = min(count, max(0, newCount)) }

    package var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Copies the bytes into a typed array (`count` must be a multiple of the element size).
    package func array<T>(of: T.Type) -> [T] {
        let n = count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            if n > 0, let base { UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: base, byteCount: n * MemoryLayout<T>.stride) }
            initialized = n
        }
    }
}

/// A growable byte buffer backed by a Swift array, so that the finished bytes become a
/// `[UInt8]` without a copy. Bytes are written through ``write(reserving:_:)``, whose pointer
/// is valid only inside the closure.
package final class ParquetByteBuilder {
    /// The storage; `storage.count` is the capacity, bytes past `count` are scratch.
    private var storage: [UInt8] = []
    package private(set) var count = 0

    package init() {}

    /// Makes the capacity at least `count + additional`.
    package func reserve(_ additional: Int) {
        let needed = count + max(0, additional)
        guard needed > storage.count else { return }
        let newCapacity = max(needed, storage.count * 2, 64)
        let used = count
        let old = storage
        storage = [UInt8](unsafeUninitializedCapacity: newCapacity) { buffer, initialized in
            parquetAdviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            // The bytes past `used` are scratch that is always written before it is read.
            old.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<used])) }
            initialized = newCapacity
        }
    }

    /// Reserves `additional` bytes and calls `body` with the storage's base and the current
    /// count; `body` writes at `base + count` and returns how many bytes it appended (at most
    /// `additional`). The pointer must not escape `body`.
    @inline(__always)
    package func write(reserving additional: Int, _ body: (UnsafeMutableRawPointer, Int) throws -> Int) rethrows {
        reserve(max(1, additional))
        let start = count
        let written = try storage.withUnsafeMutableBytes { raw in
            try body(raw.baseAddress!, start)
        }
        count = start + min(max(0, written), additional)
    }

    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let source = bytes.baseAddress else { return }
        write(reserving: bytes.count) { base, start in
            (base + start).copyMemory(from: source, byteCount: bytes.count)
            return bytes.count
        }
    }

    /// Calls `body` with the written bytes.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let used = count
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<used])) }
    }

    /// Hands over the written bytes as an array (no copy) and empties the builder.
    package func finishBytes() -> [UInt8] {
        storage.removeSubrange(count...)
        let result = storage
        storage = []
        count = 0
        return result
    }

    /// Copies the bytes into a typed array (`count` must be a multiple of the element size).
    package func array<T>(of: T.Type) -> [T] {
        let n = count / MemoryLayout<T>.stride
        return withUnsafeBytes { raw in
            [T](unsafeUninitializedCapacity: n) { out, initialized in
                parquetAdviseHugePages(UnsafeMutableRawBufferPointer(out))
                if n > 0 { UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * MemoryLayout<T>.stride) }
                initialized = n
            }
        }
    }
}

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
                    if let from = source.baseAddress { buffer.baseAddress!.initialize(from: from, count: source.count) }
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

/// Copies `length` bytes in 16-byte blocks, possibly writing up to 15 bytes past the end of
/// the value; the caller guarantees that both buffers have that slack.
@inline(__always)
private func blockCopy(_ target: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ length: Int) {
    var done = 0
    while done < length {
        (target + done).storeBytes(of: (source + done).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        done += 16
    }
}

// MARK: - Bit unpacking

/// Reads `width` (0...64) bits starting at bit `bit` of `bytes`, LSB first. The caller makes
/// sure the bits lie inside the buffer.
@inline(__always)
private func readBits(_ bytes: UnsafeRawBufferPointer, bit: Int, width: Int) -> UInt64 {
    if width == 0 { return 0 }
    let byte = bit >> 3
    let shift = UInt64(bit & 7)
    let base = bytes.baseAddress!
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

// MARK: - RLE / bit-packed hybrid

/// Decodes the RLE/bit-packed hybrid encoding (levels, dictionary indices, RLE booleans).
package struct ParquetHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private let bitWidth: Int

    package init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws {
        guard (0...32).contains(bitWidth) else { throw corrupt("a bit width of \(bitWidth) is impossible (0 to 32 allowed)") }
        self.bytes = bytes
        self.bitWidth = bitWidth
    }

    /// The number of bytes consumed so far.
    package var consumed: Int { offset }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw corrupt("the run header of an RLE/bit-packed run is cut off") }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw corrupt("an RLE run header is longer than 10 bytes") }
        }
    }

    /// Decodes exactly `count` values into `output`.
    package mutating func decode(into output: UnsafeMutablePointer<UInt32>, count: Int) throws {
        var done = 0
        let valueBytes = (bitWidth + 7) / 8
        while done < count {
            let header = try varint()
            if header & 1 == 0 {
                guard header >> 1 <= UInt64(Int32.max) else { throw corrupt("an RLE run of \(header >> 1) values is impossible") }
                let run = Int(header >> 1)
                guard valueBytes <= bytes.count - offset else { throw corrupt("an RLE run's value is cut off") }
                var value: UInt32 = 0
                for i in 0..<valueBytes { value |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
                offset += valueBytes
                let n = min(run, count - done)
                (output + done).initialize(repeating: value, count: n)
                done += n
            } else {
                guard header >> 1 <= UInt64(Int32.max / 8) else { throw corrupt("a bit-packed run of \(header >> 1) groups is impossible") }
                let values = Int(header >> 1) * 8
                let runBytes = Int(header >> 1) * bitWidth
                let n = min(values, count - done)
                let neededBytes = (n * bitWidth + 7) / 8
                let available = min(runBytes, bytes.count - offset)
                guard neededBytes <= available else { throw corrupt("a bit-packed run is cut off") }
                let run = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + available)])
                unpack(run, width: bitWidth, count: n, into: output + done)
                offset += available
                done += n
            }
        }
    }

    private func unpack(_ run: UnsafeRawBufferPointer, width: Int, count: Int, into output: UnsafeMutablePointer<UInt32>) {
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
                    accumulator |= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))) << UInt64(bits)
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

// MARK: - DELTA_BINARY_PACKED

/// Decodes DELTA_BINARY_PACKED integers (as 64-bit two's-complement patterns; 32-bit columns
/// keep the low half).
package struct ParquetDeltaBinaryPackedDecoder {
    private let bytes: UnsafeRawBufferPointer
    package private(set) var offset = 0

    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw corrupt("a DELTA_BINARY_PACKED header is cut off") }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw corrupt("a DELTA_BINARY_PACKED integer is longer than 10 bytes") }
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
            throw corrupt("a DELTA_BINARY_PACKED block size of \(blockSize) is impossible (a positive multiple of 128 expected)")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw corrupt("\(miniblocks) DELTA_BINARY_PACKED miniblocks per block of \(blockSize) is impossible")
        }
        guard total <= UInt64(limit) else {
            throw corrupt("DELTA_BINARY_PACKED declares \(total) values but the page holds at most \(limit)")
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
            guard Int(miniblocks) <= bytes.count - offset else { throw corrupt("DELTA_BINARY_PACKED bit widths are cut off") }
            offset += Int(miniblocks)
            for m in 0..<Int(miniblocks) where result.count < count {
                let width = Int(bytes[widthsStart + m])
                guard width <= 64 else { throw corrupt("a DELTA_BINARY_PACKED bit width of \(width) is impossible") }
                let runBytes = perMiniblock * width / 8
                let n = min(perMiniblock, count - result.count)
                let needed = (n * width + 7) / 8
                let available = min(runBytes, bytes.count - offset)
                guard needed <= available else { throw corrupt("a DELTA_BINARY_PACKED miniblock is cut off") }
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

// MARK: - Value decoding

package enum ParquetValueDecoding {
    /// PLAIN fixed-width values (INT32, INT64, FLOAT, DOUBLE).
    package static func plainFixed(_ data: UnsafeRawBufferPointer, count: Int, width: Int, into builder: ParquetValuesBuilder) throws -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, bytes <= data.count else {
            throw corrupt("the page declares \(count) values of \(width) bytes but holds \(data.count) bytes")
        }
        builder.data.append(UnsafeRawBufferPointer(rebasing: data[0..<bytes]))
        return bytes
    }

    /// PLAIN booleans: one bit per value, LSB first.
    package static func plainBoolean(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder) throws -> Int {
        let bytes = (count + 7) / 8
        guard bytes <= data.count else { throw corrupt("the page declares \(count) booleans but holds \(data.count) bytes") }
        builder.data.write(reserving: count) { base, start in
            let out = (base + start).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { out[i] = (data[i >> 3] >> UInt8(i & 7)) & 1 }
            return count
        }
        return bytes
    }

    /// RLE-encoded booleans (a 4-byte length, then the hybrid encoding with bit width 1).
    package static func rleBoolean(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder, scratch: UnsafeMutablePointer<UInt32>) throws {
        guard data.count >= 4 else { throw corrupt("the RLE boolean length prefix is cut off") }
        let length = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
        guard length <= data.count - 4 else { throw corrupt("the RLE boolean data of \(length) bytes runs past the page") }
        var decoder = try ParquetHybridDecoder(UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)]), bitWidth: 1)
        try decoder.decode(into: scratch, count: count)
        builder.data.write(reserving: count) { base, start in
            let out = (base + start).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { out[i] = UInt8(truncatingIfNeeded: scratch[i] & 1) }
            return count
        }
    }

    /// PLAIN byte arrays: a 4-byte length before each value.
    package static func plainByteArray(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder) throws -> Int {
        guard count <= data.count / 4 else { throw corrupt("the page declares \(count) byte arrays but holds only \(data.count) bytes") }
        guard count > 0, let source = data.baseAddress else { return 0 }
        var offsets = builder.offsets
        builder.offsets = []
        defer { builder.offsets = offsets }
        offsets.reserveCapacity(offsets.count + count)
        var offset = 0
        var failure: DataCompError?
        // The values read so far never take more than the page's bytes (a corrupted page may
        // stop early, so the final size minus the prefixes is not a bound); 32 spare bytes let
        // short values be copied in 16-byte blocks.
        builder.data.write(reserving: data.count + 32) { base, start in
            let out = base + start
            var written = 0
            let end = data.count
            for _ in 0..<count {
                guard end - offset >= 4 else {
                    failure = corrupt("a byte array's length prefix runs past the page")
                    break
                }
                let length = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard length <= end - offset else {
                    failure = corrupt("a byte array of \(length) bytes runs past the page")
                    break
                }
                if length <= 256 && end - offset >= (length + 15) & ~15 {
                    blockCopy(out + written, source + offset, length)
                } else {
                    (out + written).copyMemory(from: source + offset, byteCount: length)
                }
                written += length
                offset += length
                offsets.append(start + written)
            }
            return written
        }
        if let failure { throw failure }
        return offset
    }

    /// PLAIN fixed-length byte arrays (FIXED_LEN_BYTE_ARRAY, INT96).
    package static func plainFixedByteArray(_ data: UnsafeRawBufferPointer, count: Int, length: Int, into builder: ParquetValuesBuilder) throws -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: length)
        guard !overflow, bytes <= data.count else {
            throw corrupt("the page declares \(count) values of \(length) bytes but holds \(data.count) bytes")
        }
        guard count <= data.count * 8 + 64 else { throw corrupt("the page declares \(count) values in \(data.count) bytes") }
        let start = builder.data.count
        builder.data.append(UnsafeRawBufferPointer(rebasing: data[0..<bytes]))
        builder.offsets.reserveCapacity(builder.offsets.count + count)
        for i in 0..<count { builder.offsets.append(start + (i + 1) * length) }
        return bytes
    }

    /// Decodes `count` plain values of the builder's kind; returns the bytes consumed.
    package static func plain(_ data: UnsafeRawBufferPointer, count: Int, isBoolean: Bool, into builder: ParquetValuesBuilder) throws -> Int {
        if isBoolean { return try plainBoolean(data, count: count, into: builder) }
        if let width = builder.width { return try plainFixed(data, count: count, width: width, into: builder) }
        if let length = builder.fixedByteArrayLength { return try plainFixedByteArray(data, count: count, length: length, into: builder) }
        return try plainByteArray(data, count: count, into: builder)
    }

    /// Dictionary indices (a bit-width byte, then the hybrid encoding), gathered from
    /// `dictionary`.
    package static func dictionary(
        _ data: UnsafeRawBufferPointer, count: Int, dictionary: ParquetValuesBuilder, into builder: ParquetValuesBuilder,
        indices: UnsafeMutablePointer<UInt32>
    ) throws {
        guard count > 0 else { return }
        guard data.count >= 1 else { throw corrupt("the dictionary index bit width is missing") }
        var decoder = try ParquetHybridDecoder(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(data[0]))
        try decoder.decode(into: indices, count: count)
        let dictionaryCount = dictionary.valueCount
        var largest: UInt32 = 0
        for i in 0..<count { largest = max(largest, indices[i]) }
        guard Int(largest) < dictionaryCount else {
            throw corrupt("a dictionary index \(largest) is out of range for a dictionary of \(dictionaryCount) values")
        }
        if let width = builder.width {
            dictionary.data.withUnsafeBytes { sourceBytes in
                guard let source = sourceBytes.baseAddress else { return }
                builder.data.write(reserving: count * width) { base, start in
                    let out = base + start
                    switch width {
                    case 4:
                        for i in 0..<count {
                            out.storeBytes(of: source.loadUnaligned(fromByteOffset: Int(indices[i]) * 4, as: UInt32.self), toByteOffset: i * 4, as: UInt32.self)
                        }
                    case 8:
                        for i in 0..<count {
                            out.storeBytes(of: source.loadUnaligned(fromByteOffset: Int(indices[i]) * 8, as: UInt64.self), toByteOffset: i * 8, as: UInt64.self)
                        }
                    default:
                        for i in 0..<count { (out + i * width).copyMemory(from: source + Int(indices[i]) * width, byteCount: width) }
                    }
                    return count * width
                }
            }
        } else {
            let dictionaryOffsets = dictionary.offsets
            // Reserve the exact number of bytes first, then copy without further checks.
            var total = 0
            dictionaryOffsets.withUnsafeBufferPointer { offsets in
                for i in 0..<count {
                    let index = Int(indices[i])
                    total += offsets[index + 1] - offsets[index]
                }
            }
            guard total <= 1 << 32 else { throw corrupt("dictionary indices expand to \(total) bytes") }
            var output = builder.offsets
            builder.offsets = []
            defer { builder.offsets = output }
            output.reserveCapacity(output.count + count)
            dictionary.data.withUnsafeBytes { sourceBytes in
                let source = sourceBytes.baseAddress
                let sourceEnd = sourceBytes.count
                // 32 spare bytes (and 32 in the dictionary) let short values move as two 16-byte words.
                builder.data.write(reserving: total + 32) { base, start in
                    let out = base + start
                    var written = 0
                    dictionaryOffsets.withUnsafeBufferPointer { offsets in
                        for i in 0..<count {
                            let index = Int(indices[i])
                            let begin = offsets[index]
                            let length = offsets[index + 1] - begin
                            if length > 0, let source {
                                if length <= 256 && sourceEnd - begin >= (length + 15) & ~15 {
                                    blockCopy(out + written, source + begin, length)
                                } else {
                                    (out + written).copyMemory(from: source + begin, byteCount: length)
                                }
                            }
                            written += length
                            output.append(start + written)
                        }
                    }
                    return written
                }
            }
        }
    }

    /// DELTA_BINARY_PACKED integers of `width` 4 or 8 bytes.
    package static func deltaBinaryPacked(_ data: UnsafeRawBufferPointer, count: Int, width: Int, into builder: ParquetValuesBuilder) throws -> Int {
        var decoder = ParquetDeltaBinaryPackedDecoder(data)
        let values = try decoder.decodeAll(limit: max(count, 0))
        guard values.count == count else {
            throw corrupt("DELTA_BINARY_PACKED holds \(values.count) values but the page declares \(count)")
        }
        builder.data.write(reserving: count * width) { base, start in
            let out = base + start
            if width == 4 {
                for i in 0..<count { out.storeBytes(of: UInt32(truncatingIfNeeded: values[i]), toByteOffset: i * 4, as: UInt32.self) }
            } else {
                for i in 0..<count { out.storeBytes(of: values[i], toByteOffset: i * 8, as: UInt64.self) }
            }
            return count * width
        }
        return decoder.offset
    }

    private static func lengths(_ values: [UInt64], limit: Int) throws -> [Int] {
        var result = [Int]()
        result.reserveCapacity(values.count)
        for value in values {
            let length = Int64(bitPattern: value)
            guard length >= 0, length <= Int64(limit) else { throw corrupt("a byte array length of \(length) is impossible") }
            result.append(Int(length))
        }
        return result
    }

    /// DELTA_LENGTH_BYTE_ARRAY: delta-encoded lengths, then the concatenated bytes.
    package static func deltaLengthByteArray(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder) throws -> Int {
        var decoder = ParquetDeltaBinaryPackedDecoder(data)
        let raw = try decoder.decodeAll(limit: max(count, 0))
        guard raw.count == count else { throw corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(raw.count) lengths but the page declares \(count)") }
        let lengths = try lengths(raw, limit: data.count)
        let offset = decoder.offset
        var total = 0
        for length in lengths { total += length }
        guard total <= data.count - offset, let base = data.baseAddress else {
            if total == 0 { builder.appendByteArrays(lengths: lengths, from: UnsafeRawPointer(bitPattern: 1)!); return offset }
            throw corrupt("DELTA_LENGTH_BYTE_ARRAY values of \(total) bytes run past the page")
        }
        builder.appendByteArrays(lengths: lengths, from: base + offset)
        return offset + total
    }

    /// DELTA_BYTE_ARRAY: delta-encoded prefix lengths, then DELTA_LENGTH_BYTE_ARRAY suffixes.
    package static func deltaByteArray(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder) throws {
        var prefixDecoder = ParquetDeltaBinaryPackedDecoder(data)
        let prefixRaw = try prefixDecoder.decodeAll(limit: max(count, 0))
        guard prefixRaw.count == count else { throw corrupt("DELTA_BYTE_ARRAY holds \(prefixRaw.count) prefixes but the page declares \(count)") }
        let prefixes = try lengths(prefixRaw, limit: Int(Int32.max))
        let rest = UnsafeRawBufferPointer(rebasing: data[prefixDecoder.offset...])
        var suffixDecoder = ParquetDeltaBinaryPackedDecoder(rest)
        let suffixRaw = try suffixDecoder.decodeAll(limit: max(count, 0))
        guard suffixRaw.count == count else { throw corrupt("DELTA_BYTE_ARRAY holds \(suffixRaw.count) suffixes but the page declares \(count)") }
        let suffixes = try lengths(suffixRaw, limit: rest.count)
        // Validate every prefix and suffix and size the output before writing anything.
        var offset = suffixDecoder.offset
        var previousLength = 0
        var total = 0
        for i in 0..<count {
            guard prefixes[i] <= previousLength else {
                throw corrupt("a DELTA_BYTE_ARRAY prefix of \(prefixes[i]) bytes is longer than the previous value (\(previousLength) bytes)")
            }
            guard suffixes[i] <= rest.count - offset else { throw corrupt("a DELTA_BYTE_ARRAY suffix of \(suffixes[i]) bytes runs past the page") }
            offset += suffixes[i]
            previousLength = prefixes[i] + suffixes[i]
            total += previousLength
            guard total <= 1 << 32 else { throw corrupt("DELTA_BYTE_ARRAY values expand to more than 4 GiB") }
        }
        var output = builder.offsets
        builder.offsets = []
        defer { builder.offsets = output }
        output.reserveCapacity(output.count + count)
        builder.data.write(reserving: total) { base, start in
            var written = 0
            var previousStart = 0
            var cursor = suffixDecoder.offset
            for i in 0..<count {
                let target = base + start + written
                if prefixes[i] > 0 { target.copyMemory(from: base + start + previousStart, byteCount: prefixes[i]) }
                if suffixes[i] > 0 { (target + prefixes[i]).copyMemory(from: rest.baseAddress! + cursor, byteCount: suffixes[i]) }
                cursor += suffixes[i]
                previousStart = written
                written += prefixes[i] + suffixes[i]
                output.append(start + written)
            }
            return written
        }
    }

    /// BYTE_STREAM_SPLIT: byte k of every value stored together, for values of `width` bytes.
    package static func byteStreamSplit(_ data: UnsafeRawBufferPointer, count: Int, width: Int, fixedByteArray: Bool, into builder: ParquetValuesBuilder) throws {
        guard width > 0 else { throw corrupt("BYTE_STREAM_SPLIT needs a positive value width") }
        let stride = data.count / width
        guard count <= stride else { throw corrupt("BYTE_STREAM_SPLIT holds \(stride) values but the page declares \(count)") }
        guard count > 0, let source = data.baseAddress else { return }
        let start = builder.data.count
        builder.data.write(reserving: count * width) { base, start in
            let o = (base + start).assumingMemoryBound(to: UInt8.self)
            let s = source.assumingMemoryBound(to: UInt8.self)
            for k in 0..<width {
                let stream = s + k * stride
                for i in 0..<count { o[i * width + k] = stream[i] }
            }
            return count * width
        }
        if fixedByteArray {
            builder.offsets.reserveCapacity(builder.offsets.count + count)
            for i in 1...count { builder.offsets.append(start + i * width) }
        }
    }
}
