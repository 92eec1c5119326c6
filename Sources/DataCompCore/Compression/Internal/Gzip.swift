internal import CZlib

/// Thin wrappers around zlib's gzip-aware inflate (window bits 16 + 15) and a gzip writer:
/// decompresses a whole `.gz` file held in memory, including files made of several concatenated
/// gzip members, as Python's `gzip.open(...).read()` does.
package enum Gzip {
    /// Decompresses every gzip member in `source` and returns the concatenated output.
    ///
    /// The corresponding C functions are `inflateInit2_`, `inflate`, `inflateReset` and
    /// `inflateEnd`.
    ///
    /// - Parameters:
    ///   - source: The gzip file's bytes.
    ///   - maximumSize: Output larger than this throws (protects against gzip bombs).
    /// - Returns: The decompressed bytes.
    /// - Throws: ``DataCompError`` `invalidFormat` when the data is not gzip, `corruptData` when the
    ///   stream is invalid, `truncatedFile` when it ends early.
    package static func zlib_gunzip(_ source: UnsafeRawBufferPointer, maximumSize: Int = 1 << 32) throws -> [UInt8] {
        guard source.count >= 18, source[0] == 0x1f, source[1] == 0x8b else {
            throw DataCompError(
                .invalidFormat, "the data is not gzip (no 1f 8b magic at byte offset 0)", position: .offset(0))
        }
        guard let base = source.baseAddress else { return [] }
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataCompError(.io, "zlib could not be initialized")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(source.count * 4, maximumSize))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var inputOffset = 0
        let chunkLimit = 1 << 30
        while true {
            if stream.avail_in == 0 && inputOffset < source.count {
                let size = min(source.count - inputOffset, chunkLimit)
                stream.next_in = UnsafeMutablePointer(
                    mutating: (base + inputOffset).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(size)
                inputOffset += size
            }
            let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            guard output.count <= maximumSize - produced else {
                throw DataCompError(.corruptData, "the gzip data expands to more than \(maximumSize) bytes")
            }
            output.append(contentsOf: chunk[0..<produced])
            let consumed = inputOffset - Int(stream.avail_in)
            switch status {
            case Z_STREAM_END:
                // Another member may follow (Python reads concatenated members); trailing zero
                // padding is ignored as Python does.
                let rest = source.count - consumed
                if rest == 0 || (consumed..<source.count).allSatisfy({ source[$0] == 0 }) { return output }
                guard rest >= 2, source[consumed] == 0x1f, source[consumed + 1] == 0x8b else {
                    throw DataCompError(
                        .corruptData, "unexpected bytes after the end of the gzip stream", position: .offset(consumed))
                }
                guard inflateReset(&stream) == Z_OK else { throw DataCompError(.io, "zlib could not be reset") }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 && inputOffset >= source.count {
                    throw DataCompError(
                        .truncatedFile, "the gzip data ends before the end of its stream",
                        position: .offset(source.count))
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw DataCompError(
                    .corruptData, "the gzip data is invalid (zlib: \(message))", position: .offset(consumed))
            }
        }
    }

    /// Compresses `bytes` into a single-member gzip file (no name, mtime 0, OS 255).
    ///
    /// The corresponding C functions are those of ``Deflate/zlib_deflateRaw(_:)`` and `crc32`.
    package static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let body = try bytes.withUnsafeBytes { try Deflate.zlib_deflateRaw([$0]) }
        let crc = bytes.withUnsafeBytes { Deflate.zlib_crc32(0, $0) }
        var output: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        output.append(contentsOf: body)
        for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: size >> UInt32(shift))) }
        return output
    }
}
