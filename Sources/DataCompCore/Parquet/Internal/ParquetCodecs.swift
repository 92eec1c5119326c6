internal import CBrotli
internal import CLZ4
internal import CSnappy
internal import CZstd

/// Thin wrappers over the compression libraries Parquet pages use.
///
/// Each C function is called
/// from exactly one wrapper, which turns its status into a ``DataCompError``.
package enum ParquetCodecs {
    private static func failure(_ codec: String, _ detail: String) -> DataCompError {
        DataCompError(.corruptData, "cannot decompress a \(codec) page: \(detail); the file is corrupted")
    }

    /// Decompresses a raw Snappy block into exactly `output.count` bytes.
    ///
    /// The corresponding C
    /// function is `snappy_uncompress`.
    package static func snappy_uncompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws
    {
        guard let raw = input.baseAddress else { throw failure("SNAPPY", "the page is empty") }
        let source = raw.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
            throw failure("SNAPPY", "the length header is invalid")
        }
        guard length == output.count else {
            throw failure("SNAPPY", "the data holds \(length) bytes but the page header declares \(output.count)")
        }
        if length == 0 { return }
        guard let target = output.baseAddress else { throw failure("SNAPPY", "no output") }
        var produced = output.count
        guard
            CSnappy.snappy_uncompress(source, input.count, target.assumingMemoryBound(to: CChar.self), &produced)
                == SNAPPY_OK,
            produced == output.count
        else {
            throw failure("SNAPPY", "the compressed stream is invalid")
        }
    }

    /// Compresses with Snappy.
    ///
    /// The corresponding C function is `snappy_compress`.
    package static func snappy_compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = snappy_max_compressed_length(input.count)
        var empty: CChar = 0
        return [UInt8](unsafeUninitializedCapacity: max(bound, 1)) { buffer, count in
            var produced = bound
            let target = UnsafeMutableRawPointer(buffer.requiredBaseAddress).assumingMemoryBound(to: CChar.self)
            let status = withUnsafeMutablePointer(to: &empty) { fallback in
                CSnappy.snappy_compress(
                    input.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) } ?? UnsafePointer(fallback),
                    input.count, target, &produced)
            }
            count = status == SNAPPY_OK ? produced : 0
        }
    }

    /// Decompresses one or more Zstandard frames into exactly `output.count` bytes.
    ///
    /// The
    /// corresponding C function is `ZSTD_decompress`.
    package static func zstd_decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws
    {
        guard let source = input.baseAddress else { throw failure("ZSTD", "the page is empty") }
        if let declared = try zstd_getFrameContentSize(input), declared != UInt64(output.count) {
            throw failure("ZSTD", "the frame holds \(declared) bytes but the page header declares \(output.count)")
        }
        var scratch: UInt8 = 0
        let produced = withUnsafeMutablePointer(to: &scratch) { fallback in
            ZSTD_decompress(output.baseAddress ?? UnsafeMutableRawPointer(fallback), output.count, source, input.count)
        }
        if ZSTD_isError(produced) != 0 {
            throw failure("ZSTD", String(cString: ZSTD_getErrorName(produced)))
        }
        guard produced == output.count else {
            throw failure("ZSTD", "the frame holds \(produced) bytes but the page header declares \(output.count)")
        }
    }

    /// The decompressed size that the first Zstandard frame of `input` declares, or `nil` when
    /// the frame does not declare one.
    ///
    /// The corresponding C function is `ZSTD_getFrameContentSize`.
    ///
    /// - Throws: ``DataCompError`` `corruptData` when the frame header is invalid.
    package static func zstd_getFrameContentSize(_ input: UnsafeRawBufferPointer) throws -> UInt64? {
        guard let source = input.baseAddress else { throw failure("ZSTD", "the page is empty") }
        let declared = ZSTD_getFrameContentSize(source, input.count)
        if declared == ZSTD_CONTENTSIZE_ERROR { throw failure("ZSTD", "the frame header is invalid") }
        return declared == ZSTD_CONTENTSIZE_UNKNOWN ? nil : declared
    }

    /// Compresses with Zstandard at `level`.
    ///
    /// The corresponding C function is `ZSTD_compress`.
    package static func zstd_compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var empty: UInt8 = 0
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            let produced = withUnsafeMutablePointer(to: &empty) { fallback in
                ZSTD_compress(
                    buffer.requiredBaseAddress, bound, input.baseAddress ?? UnsafeRawPointer(fallback), input.count,
                    level)
            }
            count = ZSTD_isError(produced) != 0 ? 0 : produced
        }
    }

    /// Decompresses a raw LZ4 block into exactly `output.count` bytes.
    ///
    /// The corresponding C
    /// function is `LZ4_decompress_safe`.
    package static func lz4_decompress_safe(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws
    {
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max), let source = input.baseAddress else {
            throw failure("LZ4_RAW", "the page size is out of range")
        }
        var scratch: CChar = 0
        let produced = withUnsafeMutablePointer(to: &scratch) { fallback in
            LZ4_decompress_safe(
                source.assumingMemoryBound(to: CChar.self),
                output.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) } ?? fallback,
                Int32(input.count), Int32(output.count))
        }
        guard produced == output.count else {
            throw failure(
                "LZ4_RAW",
                produced < 0
                    ? "the block is invalid"
                    : "the block holds \(produced) bytes but the page header declares \(output.count)")
        }
    }

    /// Decompresses a legacy LZ4 page (codec 5) as Arrow does: Hadoop framing first (blocks of a
    /// big-endian decompressed size, a big-endian compressed size and a raw LZ4 block, as
    /// parquet-mr writes them); if the page does not parse as that, one raw LZ4 block (as old
    /// parquet-cpp and fastparquet write them).
    package static func lz4_hadoop_or_raw(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws
    {
        if hadoopFrames(input, into: output) { return }
        do {
            try lz4_decompress_safe(input, into: output)
        } catch {
            throw failure("LZ4", "the page is neither Hadoop-framed LZ4 nor a raw LZ4 block")
        }
    }

    /// Decodes Hadoop-framed LZ4 blocks; `false` when the page is not exactly that.
    private static func hadoopFrames(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        -> Bool
    {
        var inputOffset = 0
        var outputOffset = 0
        while input.count - inputOffset >= 8 {
            let expectedSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: inputOffset, as: UInt32.self)))
            let compressedSize = Int(
                UInt32(bigEndian: input.loadUnaligned(fromByteOffset: inputOffset + 4, as: UInt32.self)))
            inputOffset += 8
            guard compressedSize <= input.count - inputOffset, expectedSize <= output.count - outputOffset else {
                return false
            }
            let block = UnsafeRawBufferPointer(rebasing: input[inputOffset..<(inputOffset + compressedSize)])
            let target = UnsafeMutableRawBufferPointer(rebasing: output[outputOffset..<(outputOffset + expectedSize)])
            guard (try? lz4_decompress_safe(block, into: target)) != nil else { return false }
            inputOffset += compressedSize
            outputOffset += expectedSize
        }
        return inputOffset == input.count && outputOffset == output.count
    }

    /// Decompresses a Brotli stream into exactly `output.count` bytes.
    ///
    /// The corresponding C function is `BrotliDecoderDecompress`.
    package static func brotli_decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws
    {
        guard let source = input.baseAddress else { throw failure("BROTLI", "the page is empty") }
        var produced = output.count
        var scratch: UInt8 = 0
        let status = withUnsafeMutablePointer(to: &scratch) { fallback in
            BrotliDecoderDecompress(
                input.count, source.assumingMemoryBound(to: UInt8.self), &produced,
                output.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? fallback)
        }
        guard status == BROTLI_DECODER_RESULT_SUCCESS, produced == output.count else {
            throw failure(
                "BROTLI",
                status == BROTLI_DECODER_RESULT_SUCCESS
                    ? "the stream holds \(produced) bytes but the page header declares \(output.count)"
                    : "the stream is invalid or larger than the page header declares")
        }
    }

    /// Inflates a GZIP (or zlib) stream, possibly of several members, into exactly
    /// `output.count` bytes, through the shared zlib wrapper.
    package static func parquet_gzip_inflate(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws {
        do {
            try Deflate.zlib_inflate(input, into: output, format: .gzipOrZlib)
        } catch let error as DataCompError {
            throw failure("GZIP", error.message)
        }
    }
}
