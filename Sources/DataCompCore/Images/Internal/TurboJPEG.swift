internal import CTurboJPEG

/// Owns one TurboJPEG handle and frees it in `deinit`.
///
/// Not `Sendable`: a handle is used by one
/// decode or encode call at a time and never escapes it.
final class TurboJPEGHandle {
    let handle: tjhandle

    init(compressing: Bool) throws {
        guard let handle = compressing ? tjInitCompress() : tjInitDecompress() else {
            throw DataCompError(.io, "libturbojpeg could not allocate a handle")
        }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    var errorMessage: String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown libturbojpeg error" }
        return String(cString: text)
    }

    /// Whether the last failure was only a libjpeg *warning* (`JWRN_*`): the decoder went on
    /// and wrote every pixel.
    ///
    /// TurboJPEG 2.1 keeps reporting `TJERR_WARNING` once any warning was emitted, even when a
    /// fatal error stopped decoding afterwards and left pixels unwritten (a fuzzer found a JPEG
    /// with stray bytes and then an undefined quantization table). The message is that of the
    /// last event, so it decides: only libjpeg's warning texts count as warnings.
    ///
    /// The header reader still accepts any warning-flagged failure with a size, as Pillow's own
    /// marker parser opens such files.
    var isWarning: Bool {
        guard hasWarned else { return false }
        let message = errorMessage
        return Self.warningPrefixes.contains { message.hasPrefix($0) }
    }

    /// Whether libjpeg emitted any warning on this handle (TurboJPEG's `TJERR_WARNING`), fatal
    /// error afterwards or not.
    var hasWarned: Bool { tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) }

    /// The beginnings of libjpeg-turbo's `JWRN_*` messages (`jerror.h`).
    private static let warningPrefixes = [
        "Corrupt JPEG data", "Premature end of JPEG file", "Unknown Adobe color transform",
        "Inconsistent progression sequence", "Warning: unknown JFIF revision",
        "Invalid SOS parameters for sequential JPEG", "Application transferred too many scanlines",
    ]
}

/// The decoded content of a JPEG, in Pillow's mode.
struct TurboJPEGDecoded {
    var width: Int
    var height: Int
    var mode: Image.Mode
    var pixels: [UInt8]
}

/// Decodes a JPEG with `tjDecompressHeader3` + `tjDecompress2` (accurate integer IDCT, fancy
/// upsampling: libjpeg's defaults, which Pillow also uses).
///
/// Grayscale JPEGs become "L". CMYK and YCCK JPEGs become "CMYK" with every sample inverted,
/// because Pillow decodes them with raw mode "CMYK;I" (it assumes Adobe's inverted convention).
/// libjpeg-turbo *warnings* about corrupt data are accepted as Pillow accepts them, except
/// "Premature end of JPEG file" which means the file is truncated: Pillow raises
/// "image file is truncated" for those, and so do we.
func turbo_decompress(_ bytes: UnsafeRawBufferPointer) throws -> TurboJPEGDecoded {
    let decoder = try TurboJPEGHandle(compressing: false)
    let header = try turbo_decompress_header(bytes, decoder: decoder)
    let count = try Image.byteCount(
        width: header.width, height: header.height, mode: header.mode, code: .imageDecodingFailed)
    try turbo_checkPlausible(header, byteCount: bytes.count)
    var failure: (any Error)?
    let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        do {
            try turbo_decompress(bytes, header: header, decoder: decoder, into: buffer)
        } catch {
            buffer.initialize(repeating: 0)
            failure = error
        }
        initialized = count
    }
    if let failure { throw failure }
    return TurboJPEGDecoded(width: header.width, height: header.height, mode: header.mode, pixels: pixels)
}

/// Decodes a JPEG whose header was read with ``turbo_decompress_header(_:decoder:)`` into
/// `output` (`width × height × bytesPerPixel` bytes, in Pillow's mode), with the `decoder` that
/// read the header (one decompressor per image: libjpeg carries tables from one image to the
/// next).
func turbo_decompress(
    _ bytes: UnsafeRawBufferPointer, header: (width: Int, height: Int, mode: Image.Mode), decoder: TurboJPEGHandle,
    into output: UnsafeMutableBufferPointer<UInt8>
) throws {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
        throw DataCompError(.imageDecodingFailed, "the JPEG data is empty", position: .offset(0))
    }
    guard bytes.count <= Int(UInt32.max) else {
        throw DataCompError(.imageDecodingFailed, "JPEG data larger than 4 GiB is not supported")
    }
    let width = Int32(header.width), height = Int32(header.height), mode = header.mode
    let format: TJPF
    switch mode {
    case .gray: format = TJPF_GRAY
    case .cmyk: format = TJPF_CMYK
    default: format = TJPF_RGB
    }
    precondition(output.count == header.width * header.height * mode.bytesPerPixel, "the output does not fit the image")
    try turbo_checkPlausible(header, byteCount: bytes.count)
    let status = tjDecompress2(
        decoder.handle, base, UInt(bytes.count), output.baseAddress, width,
        width * Int32(mode.bytesPerPixel), height, Int32(format.rawValue), 0)
    if status != 0 {
        let message = decoder.errorMessage
        if message.hasPrefix("Premature end of JPEG file") {
            throw DataCompError(
                .truncatedFile, "the JPEG data ends before the image is complete (\(message))",
                position: .offset(bytes.count))
        }
        // Pillow's decoder suspends where the data runs out and refuses any fatal libjpeg error,
        // even one after the last scanline. TurboJPEG's source instead pads a short file with a
        // fake end marker and warns, so a table cut off after the last scan turns into a fatal
        // "bogus table" error after a warning: only then does a complete image count as decoded.
        if !decoder.isWarning {
            let complete =
                try decoder.hasWarned
                && turbo_writesEveryPixel(bytes, header: header, format: format, into: output)
            if !complete {
                throw DataCompError(
                    .imageDecodingFailed, "the JPEG data is corrupt: \(message)",
                    position: .offset(JPEGMarkers.firstAnomaly(bytes) ?? 0))
            }
        }
    }
    if mode == .cmyk {
        for i in output.indices { output[i] = 255 &- output[i] }
    }
}

/// Whether decoding `bytes` writes every pixel although libjpeg reported a fatal error.
///
/// Decodes it twice more, each time with a fresh decompressor, into `output` filled with 0x00
/// and into a copy filled with 0xFF. libjpeg writes the same samples both times, so a sample that differs
/// was never written. Runs only for failed decodes; leaves the decoded pixels in `output`.
func turbo_writesEveryPixel(
    _ bytes: UnsafeRawBufferPointer, header: (width: Int, height: Int, mode: Image.Mode), format: TJPF,
    into output: UnsafeMutableBufferPointer<UInt8>
) throws -> Bool {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
    let width = Int32(header.width), height = Int32(header.height)
    let pitch = width * Int32(header.mode.bytesPerPixel)
    func decode(into buffer: UnsafeMutableBufferPointer<UInt8>, filling value: UInt8) throws {
        buffer.update(repeating: value)
        let decoder = try TurboJPEGHandle(compressing: false)
        _ = tjDecompress2(
            decoder.handle, base, UInt(bytes.count), buffer.baseAddress, width, pitch, height,
            Int32(format.rawValue), 0)
    }
    try decode(into: output, filling: 0x00)
    let other = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: output.count)
    defer { other.deallocate() }
    other.initialize(repeating: 0)
    try decode(into: other, filling: 0xFF)
    return output.elementsEqual(other)
}

/// Even a flat progressive JPEG needs about one bit per 8×8 block; a header that claims more than
/// 16,384 pixels per byte of file is corrupt (and would make us allocate for nothing).
func turbo_checkPlausible(_ header: (width: Int, height: Int, mode: Image.Mode), byteCount: Int) throws {
    guard header.width * header.height / 16_384 <= byteCount else {
        throw DataCompError(
            .imageDecodingFailed,
            "the JPEG header claims \(header.width)×\(header.height) pixels, implausibly many for \(byteCount) bytes",
            position: .offset(0))
    }
}

/// Reads a JPEG header with `tjDecompressHeader3`: the size and the Pillow mode ("L" for
/// grayscale, "CMYK" for CMYK and YCCK, "RGB" otherwise).
func turbo_decompress_header(
    _ bytes: UnsafeRawBufferPointer, decoder existing: TurboJPEGHandle? = nil
) throws -> (width: Int, height: Int, mode: Image.Mode) {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0,
        bytes.count <= Int(UInt32.max)
    else {
        throw DataCompError(.imageDecodingFailed, "the JPEG data is empty or too large", position: .offset(0))
    }
    let decoder = try existing ?? TurboJPEGHandle(compressing: false)
    var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
    let status = tjDecompressHeader3(
        decoder.handle, base, UInt(bytes.count), &width, &height, &subsampling, &colorspace)
    // libjpeg's warnings (stray bytes between segments, an unknown APP marker) do not stop Pillow
    // from reading the header, so they do not stop us either.
    if status != 0 && !(decoder.hasWarned && width > 0 && height > 0) {
        throw DataCompError(
            .imageDecodingFailed, "not a readable JPEG header: \(decoder.errorMessage)",
            position: .offset(JPEGMarkers.firstAnomaly(bytes) ?? 0))
    }
    let mode: Image.Mode
    switch colorspace {
    case Int32(TJCS_GRAY.rawValue): mode = .gray
    case Int32(TJCS_CMYK.rawValue), Int32(TJCS_YCCK.rawValue): mode = .cmyk
    default: mode = .rgb
    }
    return (Int(width), Int(height), mode)
}

/// Encodes tightly packed RGB or gray samples as a baseline JPEG with `tjCompress2`, using 4:2:0
/// chroma subsampling and the accurate integer DCT (Pillow's defaults) at `quality`.
func turbo_compress(_ pixels: [UInt8], width: Int, height: Int, gray: Bool, quality: Int) throws -> [UInt8] {
    guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
        throw DataCompError(.imageEncodingFailed, "cannot encode a \(width)×\(height) JPEG")
    }
    let encoder = try TurboJPEGHandle(compressing: true)
    var output: UnsafeMutablePointer<UInt8>? = nil
    var size: UInt = 0
    let status = pixels.withUnsafeBufferPointer { buffer in
        tjCompress2(
            encoder.handle, buffer.baseAddress, Int32(width), 0, Int32(height),
            Int32((gray ? TJPF_GRAY : TJPF_RGB).rawValue), &output, &size,
            Int32((gray ? TJSAMP_GRAY : TJSAMP_420).rawValue), Int32(quality), TJFLAG_ACCURATEDCT)
    }
    defer { if let output { tjFree(output) } }
    guard status == 0, let output else {
        throw DataCompError(.imageEncodingFailed, "libturbojpeg could not encode: \(encoder.errorMessage)")
    }
    return [UInt8](UnsafeBufferPointer(start: output, count: Int(size)))
}
