internal import CZlib

/// Thin wrappers around zlib: CRC-32 and the raw-deflate streams ZIP needs, and the zlib
/// streams PNG needs.
package enum Deflate {
    /// Updates a CRC-32 (the ZIP/PNG polynomial) with `bytes`.
    ///
    /// Start with 0.
    ///
    /// The corresponding C function is `crc32`.
    package static func zlib_crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var value = UInt(crc)
        var offset = 0
        while offset < bytes.count {
            let chunk = min(bytes.count - offset, 1 << 30)
            guard let base = bytes.baseAddress else { break }
            value = crc32(value, (base + offset).assumingMemoryBound(to: Bytef.self), uInt(chunk))
            offset += chunk
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The container around deflate data.
    enum StreamFormat {
        /// Bare deflate data, as ZIP members store it.
        case raw
        /// A gzip or zlib stream, detected from its header, possibly several gzip members one
        /// after another (as Parquet's GZIP pages may hold).
        case gzipOrZlib

        var windowBits: Int32 { self == .raw ? -15 : 15 + 32 }
    }

    /// Inflates a raw deflate stream into `destination`, which must be exactly the expected
    /// uncompressed size.
    ///
    /// - Throws: ``DataCompError`` with code `corruptData` if the stream is invalid, ends early,
    ///   or produces a different amount of data.
    static func zlib_inflateRaw(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer)
        throws
    {
        try zlib_inflate(source, into: destination, format: .raw)
    }

    /// Inflates deflate data in `format` into `destination`, which must be exactly the expected
    /// uncompressed size.
    ///
    /// The corresponding C functions are `inflateInit2_`, `inflate`, `inflateReset` and
    /// `inflateEnd`.
    ///
    /// - Throws: ``DataCompError`` with code `corruptData` if the stream is invalid, ends early,
    ///   or produces a different amount of data.
    static func zlib_inflate(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, format: StreamFormat
    ) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw DataCompError(.io, "zlib could not be initialized")
        }
        defer { inflateEnd(&stream) }
        var inputOffset = 0
        var outputOffset = 0
        let chunkLimit = 1 << 30
        while true {
            if stream.avail_in == 0 && inputOffset < source.count, let base = source.baseAddress {
                let chunk = min(source.count - inputOffset, chunkLimit)
                stream.next_in = UnsafeMutablePointer(
                    mutating: (base + inputOffset).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(chunk)
                inputOffset += chunk
            }
            // Leave one spare output byte so that data beyond the expected size is detected.
            var spare: UInt8 = 0
            let room = destination.count - outputOffset
            let produced: Int
            let status: Int32
            if room > 0, let base = destination.baseAddress {
                let chunk = min(room, chunkLimit)
                stream.next_out = (base + outputOffset).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(chunk)
                status = inflate(&stream, Z_NO_FLUSH)
                produced = chunk - Int(stream.avail_out)
                outputOffset += produced
            } else {
                status = withUnsafeMutablePointer(to: &spare) { pointer in
                    stream.next_out = pointer
                    stream.avail_out = 1
                    return inflate(&stream, Z_NO_FLUSH)
                }
                produced = 1 - Int(stream.avail_out)
                if produced > 0 {
                    throw DataCompError(
                        .corruptData, "the deflated data expands to more than the declared \(destination.count) bytes")
                }
            }
            if status == Z_STREAM_END {
                let inputLeft = stream.avail_in > 0 || inputOffset < source.count
                if format == .gzipOrZlib, inputLeft, outputOffset < destination.count {
                    // Another gzip member follows.
                    guard inflateReset(&stream) == Z_OK else { throw DataCompError(.io, "zlib could not be reset") }
                    continue
                }
                guard outputOffset == destination.count else {
                    throw DataCompError(
                        .corruptData,
                        "the deflated data expands to \(outputOffset) bytes, but \(destination.count) were declared")
                }
                return
            }
            if status == Z_BUF_ERROR && stream.avail_in == 0 && inputOffset >= source.count {
                throw DataCompError(.corruptData, "the deflated data ends before the end of the stream")
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw DataCompError(.corruptData, "the deflated data is invalid (zlib: \(message))")
            }
            if status == Z_BUF_ERROR && produced == 0 && room == 0 {
                throw DataCompError(.corruptData, "the deflated data does not end where the declared size ends")
            }
        }
    }

    /// Compresses the concatenation of `parts` into a raw deflate stream at zlib's default level (as Python's
    /// `zipfile.ZIP_DEFLATED` does).
    ///
    /// The corresponding C functions are `deflateInit2_`, `deflate` and `deflateEnd`.
    static func zlib_deflateRaw(_ parts: [UnsafeRawBufferPointer]) throws -> [UInt8] {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw DataCompError(.io, "zlib could not be initialized")
        }
        defer { deflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var partIndex = 0
        var inputOffset = 0
        let chunkLimit = 1 << 30
        while true {
            // Move to the next part with bytes left once zlib has consumed the current input.
            while stream.avail_in == 0 && partIndex < parts.count && inputOffset >= parts[partIndex].count {
                partIndex += 1
                inputOffset = 0
            }
            if stream.avail_in == 0 && partIndex < parts.count, let base = parts[partIndex].baseAddress {
                let size = min(parts[partIndex].count - inputOffset, chunkLimit)
                stream.next_in = UnsafeMutablePointer(
                    mutating: (base + inputOffset).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(size)
                inputOffset += size
            }
            let isLastInput =
                partIndex >= parts.count
                || (partIndex == parts.count - 1 && inputOffset >= parts[partIndex].count)
            let flush = isLastInput ? Z_FINISH : Z_NO_FLUSH
            let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                return deflate(&stream, flush)
            }
            output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            if status == Z_STREAM_END { return output }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw DataCompError(.io, "zlib compression failed with status \(status)")
            }
        }
    }

    /// Inflates a zlib stream (`inflateInit_` / `inflate` / `inflateEnd`) into exactly
    /// `expectedCount` bytes.
    ///
    /// - Returns: The inflated bytes; fewer than `expectedCount` only if the stream ends early
    ///   (the caller reports the truncation).
    /// - Throws: ``DataCompError`` `corruptData` when zlib reports an error.
    static func zlib_inflate(_ input: [UInt8], expectedCount: Int) throws -> [UInt8] {
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
}
