// Decoders for the Parquet value and level encodings. All functions work on raw buffers, check
// every length against the bytes available and throw `DataCompError` (without a position: the
// page reader adds the page's file offset).

/// A `corruptData` error for a page's content (the page reader adds the position).
@inline(__always)
func parquetPageCorruption(_ message: String) -> DataCompError {
    DataCompError(.corruptData, message + "; the page is corrupted")
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

package enum ParquetValueDecoding {
    /// PLAIN fixed-width values (INT32, INT64, FLOAT, DOUBLE).
    package static func plainFixed(
        _ data: UnsafeRawBufferPointer, count: Int, width: Int, into builder: ParquetValuesBuilder
    ) throws -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, bytes <= data.count else {
            throw parquetPageCorruption(
                "the page declares \(count) values of \(width) bytes but holds \(data.count) bytes")
        }
        builder.data.append(UnsafeRawBufferPointer(rebasing: data[0..<bytes]))
        return bytes
    }

    /// PLAIN booleans: one bit per value, LSB first.
    package static func plainBoolean(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder)
        throws -> Int
    {
        let bytes = (count + 7) / 8
        guard bytes <= data.count else {
            throw parquetPageCorruption("the page declares \(count) booleans but holds \(data.count) bytes")
        }
        builder.data.write(reserving: count) { base, start in
            let out = (base + start).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { out[i] = (data[i >> 3] >> UInt8(i & 7)) & 1 }
            return count
        }
        return bytes
    }

    /// RLE-encoded booleans (a 4-byte length, then the hybrid encoding with bit width 1).
    package static func rleBoolean(
        _ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder,
        scratch: UnsafeMutablePointer<UInt32>
    ) throws {
        guard data.count >= 4 else { throw parquetPageCorruption("the RLE boolean length prefix is cut off") }
        let length = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
        guard length <= data.count - 4 else {
            throw parquetPageCorruption("the RLE boolean data of \(length) bytes runs past the page")
        }
        var decoder = try ParquetHybridDecoder(UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)]), bitWidth: 1)
        try decoder.decode(into: scratch, count: count)
        builder.data.write(reserving: count) { base, start in
            let out = (base + start).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { out[i] = UInt8(truncatingIfNeeded: scratch[i] & 1) }
            return count
        }
    }

    /// PLAIN byte arrays: a 4-byte length before each value.
    package static func plainByteArray(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder)
        throws -> Int
    {
        guard count <= data.count / 4 else {
            throw parquetPageCorruption("the page declares \(count) byte arrays but holds only \(data.count) bytes")
        }
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
                    failure = parquetPageCorruption("a byte array's length prefix runs past the page")
                    break
                }
                let length = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard length <= end - offset else {
                    failure = parquetPageCorruption("a byte array of \(length) bytes runs past the page")
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
    package static func plainFixedByteArray(
        _ data: UnsafeRawBufferPointer, count: Int, length: Int, into builder: ParquetValuesBuilder
    ) throws -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: length)
        guard !overflow, bytes <= data.count else {
            throw parquetPageCorruption(
                "the page declares \(count) values of \(length) bytes but holds \(data.count) bytes")
        }
        guard count <= data.count * 8 + 64 else {
            throw parquetPageCorruption("the page declares \(count) values in \(data.count) bytes")
        }
        let start = builder.data.count
        builder.data.append(UnsafeRawBufferPointer(rebasing: data[0..<bytes]))
        builder.offsets.reserveCapacity(builder.offsets.count + count)
        for i in 0..<count { builder.offsets.append(start + (i + 1) * length) }
        return bytes
    }

    /// Decodes `count` plain values of the builder's kind; returns the bytes consumed.
    package static func plain(
        _ data: UnsafeRawBufferPointer, count: Int, isBoolean: Bool, into builder: ParquetValuesBuilder
    ) throws -> Int {
        if isBoolean { return try plainBoolean(data, count: count, into: builder) }
        if let width = builder.width { return try plainFixed(data, count: count, width: width, into: builder) }
        if let length = builder.fixedByteArrayLength {
            return try plainFixedByteArray(data, count: count, length: length, into: builder)
        }
        return try plainByteArray(data, count: count, into: builder)
    }

    /// Dictionary indices (a bit-width byte, then the hybrid encoding), gathered from
    /// `dictionary`.
    package static func dictionary(
        _ data: UnsafeRawBufferPointer, count: Int, dictionary: ParquetValuesBuilder,
        into builder: ParquetValuesBuilder,
        indices: UnsafeMutablePointer<UInt32>
    ) throws {
        guard count > 0 else { return }
        guard data.count >= 1 else { throw parquetPageCorruption("the dictionary index bit width is missing") }
        var decoder = try ParquetHybridDecoder(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(data[0]))
        try decoder.decode(into: indices, count: count)
        let dictionaryCount = dictionary.valueCount
        var largest: UInt32 = 0
        for i in 0..<count { largest = max(largest, indices[i]) }
        guard Int(largest) < dictionaryCount else {
            throw parquetPageCorruption(
                "a dictionary index \(largest) is out of range for a dictionary of \(dictionaryCount) values")
        }
        if let width = builder.width {
            dictionary.data.withUnsafeBytes { sourceBytes in
                guard let source = sourceBytes.baseAddress else { return }
                builder.data.write(reserving: count * width) { base, start in
                    let out = base + start
                    switch width {
                    case 4:
                        for i in 0..<count {
                            out.storeBytes(
                                of: source.loadUnaligned(fromByteOffset: Int(indices[i]) * 4, as: UInt32.self),
                                toByteOffset: i * 4, as: UInt32.self)
                        }
                    case 8:
                        for i in 0..<count {
                            out.storeBytes(
                                of: source.loadUnaligned(fromByteOffset: Int(indices[i]) * 8, as: UInt64.self),
                                toByteOffset: i * 8, as: UInt64.self)
                        }
                    default:
                        for i in 0..<count {
                            (out + i * width).copyMemory(from: source + Int(indices[i]) * width, byteCount: width)
                        }
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
            guard total <= 1 << 32 else { throw parquetPageCorruption("dictionary indices expand to \(total) bytes") }
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
    package static func deltaBinaryPacked(
        _ data: UnsafeRawBufferPointer, count: Int, width: Int, into builder: ParquetValuesBuilder
    ) throws -> Int {
        var decoder = ParquetDeltaBinaryPackedDecoder(data)
        let values = try decoder.decodeAll(limit: max(count, 0))
        guard values.count == count else {
            throw parquetPageCorruption(
                "DELTA_BINARY_PACKED holds \(values.count) values but the page declares \(count)")
        }
        builder.data.write(reserving: count * width) { base, start in
            let out = base + start
            if width == 4 {
                for i in 0..<count {
                    out.storeBytes(of: UInt32(truncatingIfNeeded: values[i]), toByteOffset: i * 4, as: UInt32.self)
                }
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
            guard length >= 0, length <= Int64(limit) else {
                throw parquetPageCorruption("a byte array length of \(length) is impossible")
            }
            result.append(Int(length))
        }
        return result
    }

    /// DELTA_LENGTH_BYTE_ARRAY: delta-encoded lengths, then the concatenated bytes.
    package static func deltaLengthByteArray(
        _ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder
    ) throws -> Int {
        var decoder = ParquetDeltaBinaryPackedDecoder(data)
        let raw = try decoder.decodeAll(limit: max(count, 0))
        guard raw.count == count else {
            throw parquetPageCorruption(
                "DELTA_LENGTH_BYTE_ARRAY holds \(raw.count) lengths but the page declares \(count)")
        }
        let lengths = try lengths(raw, limit: data.count)
        let offset = decoder.offset
        var total = 0
        for length in lengths { total += length }
        guard total <= data.count - offset, let base = data.baseAddress else {
            if total == 0 {
                // All values are empty: no byte is read, so any non-null address will do.
                guard let nowhere = UnsafeRawPointer(bitPattern: 1) else {
                    preconditionFailure("address 1 is not representable")
                }
                builder.appendByteArrays(lengths: lengths, from: nowhere)
                return offset
            }
            throw parquetPageCorruption("DELTA_LENGTH_BYTE_ARRAY values of \(total) bytes run past the page")
        }
        builder.appendByteArrays(lengths: lengths, from: base + offset)
        return offset + total
    }

    /// DELTA_BYTE_ARRAY: delta-encoded prefix lengths, then DELTA_LENGTH_BYTE_ARRAY suffixes.
    package static func deltaByteArray(_ data: UnsafeRawBufferPointer, count: Int, into builder: ParquetValuesBuilder)
        throws
    {
        var prefixDecoder = ParquetDeltaBinaryPackedDecoder(data)
        let prefixRaw = try prefixDecoder.decodeAll(limit: max(count, 0))
        guard prefixRaw.count == count else {
            throw parquetPageCorruption(
                "DELTA_BYTE_ARRAY holds \(prefixRaw.count) prefixes but the page declares \(count)")
        }
        let prefixes = try lengths(prefixRaw, limit: Int(Int32.max))
        let rest = UnsafeRawBufferPointer(rebasing: data[prefixDecoder.offset...])
        var suffixDecoder = ParquetDeltaBinaryPackedDecoder(rest)
        let suffixRaw = try suffixDecoder.decodeAll(limit: max(count, 0))
        guard suffixRaw.count == count else {
            throw parquetPageCorruption(
                "DELTA_BYTE_ARRAY holds \(suffixRaw.count) suffixes but the page declares \(count)")
        }
        let suffixes = try lengths(suffixRaw, limit: rest.count)
        // Validate every prefix and suffix and size the output before writing anything.
        var offset = suffixDecoder.offset
        var previousLength = 0
        var total = 0
        for i in 0..<count {
            guard prefixes[i] <= previousLength else {
                throw parquetPageCorruption(
                    "a DELTA_BYTE_ARRAY prefix of \(prefixes[i]) bytes is longer than the previous value (\(previousLength) bytes)"
                )
            }
            guard suffixes[i] <= rest.count - offset else {
                throw parquetPageCorruption("a DELTA_BYTE_ARRAY suffix of \(suffixes[i]) bytes runs past the page")
            }
            offset += suffixes[i]
            previousLength = prefixes[i] + suffixes[i]
            total += previousLength
            guard total <= 1 << 32 else {
                throw parquetPageCorruption("DELTA_BYTE_ARRAY values expand to more than 4 GiB")
            }
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
                if suffixes[i] > 0 {
                    (target + prefixes[i]).copyMemory(from: rest.requiredBaseAddress + cursor, byteCount: suffixes[i])
                }
                cursor += suffixes[i]
                previousStart = written
                written += prefixes[i] + suffixes[i]
                output.append(start + written)
            }
            return written
        }
    }

    /// BYTE_STREAM_SPLIT: byte k of every value stored together, for values of `width` bytes.
    package static func byteStreamSplit(
        _ data: UnsafeRawBufferPointer, count: Int, width: Int, fixedByteArray: Bool, into builder: ParquetValuesBuilder
    ) throws {
        guard width > 0 else { throw parquetPageCorruption("BYTE_STREAM_SPLIT needs a positive value width") }
        let stride = data.count / width
        guard count <= stride else {
            throw parquetPageCorruption("BYTE_STREAM_SPLIT holds \(stride) values but the page declares \(count)")
        }
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
