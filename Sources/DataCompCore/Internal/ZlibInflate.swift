internal import CZlib

/// Inflates a zlib stream (`inflateInit_` / `inflate` / `inflateEnd`) into exactly
/// `expectedCount` bytes.
///
/// - Returns: The inflated bytes; fewer than `expectedCount` only if the stream ends early
///   (the caller reports the truncation).
/// - Throws: ``DataCompError`` `corruptData` when zlib reports an error.
func zlib_inflate(_ input: [UInt8], expectedCount: Int) throws -> [UInt8] {
    var stream = z_stream()
    guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DataCompError(.io, "zlib could not initialize an inflate stream")
    }
    defer { inflateEnd(&stream) }
    var produced = 0
    var status: Int32 = Z_OK
    let output = [UInt8](unsafeUninitializedCapacity: max(expectedCount, 1)) { out, initialized in
        input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            var inputLeft = inp.count
            stream.next_out = out.baseAddress
            var outputLeft = expectedCount
            // zlib counts in 32-bit units; feed at most 1 GiB at a time.
            while true {
                let inChunk = min(inputLeft, 1 << 30)
                let outChunk = min(outputLeft, 1 << 30)
                stream.avail_in = UInt32(inChunk)
                stream.avail_out = UInt32(outChunk)
                status = inflate(&stream, Z_NO_FLUSH)
                let consumed = inChunk - Int(stream.avail_in)
                let written = outChunk - Int(stream.avail_out)
                inputLeft -= consumed
                outputLeft -= written
                produced += written
                if status != Z_OK || outputLeft == 0 || (consumed == 0 && written == 0) { break }
            }
        }
        initialized = produced
    }
    if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
        let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
        throw DataCompError(.corruptData, "the compressed image data is corrupt (zlib: \(reason))")
    }
    return output
}

/// The CRC-32 of `type` followed by `data`, as PNG chunks store it (zlib's `crc32`).
func zlib_crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
    return UInt32(truncatingIfNeeded: crc32(0, base.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count)))
}
