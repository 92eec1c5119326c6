internal import CWebP

/// Decodes a still WebP with `WebPGetFeatures` + `WebPDecodeRGBAInto`/`WebPDecodeRGBInto`.
///
/// Pillow 13 decodes WebP through `WebPAnimDecoder` in `MODE_RGBA` and names the result
/// "RGBA" when the bitstream has alpha and "RGB" (raw "RGBX") otherwise; for a still image the
/// animation decoder decodes the single key frame straight into its canvas, so the samples are
/// those of `WebPDecodeRGBA`. An animated WebP gives its first frame composited on the canvas,
/// through the same `WebPAnimDecoder` Pillow uses.
func webp_decode(_ bytes: UnsafeRawBufferPointer) throws -> Image {
    let header = try webp_features(bytes)
    if header.isAnimated { return try webp_decode_first_frame(bytes, mode: header.mode) }
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
        throw DataCompError(.imageDecodingFailed, "the WebP data is empty", position: .offset(0))
    }
    let mode = header.mode, width = header.width, height = header.height
    let count = try Image.byteCount(width: width, height: height, mode: mode, code: .imageDecodingFailed)
    var ok = false
    let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        let stride = Int32(width * mode.bytesPerPixel)
        let result =
            mode == .rgba
            ? WebPDecodeRGBAInto(base, bytes.count, buffer.baseAddress, count, stride)
            : WebPDecodeRGBInto(base, bytes.count, buffer.baseAddress, count, stride)
        ok = result != nil
        if !ok { buffer.initialize(repeating: 0) }
        initialized = count
    }
    guard ok else {
        throw DataCompError(.imageDecodingFailed, "the WebP data is corrupt or truncated")
    }
    return Image(unchecked: width, height, mode, pixels)
}

/// Reads a WebP header with `WebPGetFeatures`: the size and the Pillow mode ("RGBA" when the
/// bitstream has alpha, else "RGB").
func webp_features(_ bytes: UnsafeRawBufferPointer) throws -> (
    width: Int, height: Int, mode: Image.Mode, isAnimated: Bool
) {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
        throw DataCompError(.imageDecodingFailed, "the WebP data is empty", position: .offset(0))
    }
    var features = WebPBitstreamFeatures()
    let status = WebPGetFeatures(base, bytes.count, &features)
    guard status == VP8_STATUS_OK else {
        let code: DataCompError.Code = status == VP8_STATUS_NOT_ENOUGH_DATA ? .truncatedFile : .imageDecodingFailed
        throw DataCompError(
            code, "not a readable WebP header (libwebp status \(status.rawValue))", position: .offset(0))
    }
    return (
        Int(features.width), Int(features.height), features.has_alpha != 0 ? .rgba : .rgb, features.has_animation != 0
    )
}

/// Owns a `WebPAnimDecoder` and deletes it in `deinit`.
///
/// Not `Sendable`: one decoder serves one decode call.
private final class WebPAnimationHandle {
    let decoder: OpaquePointer

    init(_ data: inout WebPData, options: inout WebPAnimDecoderOptions) throws {
        guard let decoder = WebPAnimDecoderNew(&data, &options) else {
            throw DataCompError(
                .imageDecodingFailed, "the animated WebP data is corrupt or truncated", position: .offset(0))
        }
        self.decoder = decoder
    }

    deinit { WebPAnimDecoderDelete(decoder) }
}

/// The first frame of an animated WebP, composited on its canvas in RGBA by `WebPAnimDecoder`
/// (`WebPAnimDecoderNew`, `WebPAnimDecoderGetInfo`, `WebPAnimDecoderGetNext`), as Pillow 13
/// returns it: "RGBA" when the file has alpha, else "RGB" (its raw mode "RGBX": alpha dropped).
func webp_decode_first_frame(_ bytes: UnsafeRawBufferPointer, mode: Image.Mode) throws -> Image {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
        throw DataCompError(.imageDecodingFailed, "the WebP data is empty", position: .offset(0))
    }
    var data = WebPData(bytes: base, size: bytes.count)
    var options = WebPAnimDecoderOptions()
    guard WebPAnimDecoderOptionsInit(&options) != 0 else {
        throw DataCompError(.io, "libwebp's animation decoder is incompatible")
    }
    options.color_mode = MODE_RGBA
    options.use_threads = 0
    let animation = try WebPAnimationHandle(&data, options: &options)
    var info = WebPAnimInfo()
    guard WebPAnimDecoderGetInfo(animation.decoder, &info) != 0 else {
        throw DataCompError(.imageDecodingFailed, "the animated WebP header is unreadable", position: .offset(0))
    }
    let width = Int(info.canvas_width), height = Int(info.canvas_height)
    let count = try Image.byteCount(width: width, height: height, mode: .rgba, code: .imageDecodingFailed)
    var frame: UnsafeMutablePointer<UInt8>?
    var timestamp: Int32 = 0
    guard WebPAnimDecoderGetNext(animation.decoder, &frame, &timestamp) != 0, let frame else {
        throw DataCompError(
            .imageDecodingFailed, "the first frame of the animated WebP cannot be decoded", position: .offset(0))
    }
    let canvas = UnsafeBufferPointer(start: frame, count: count)
    if mode == .rgba { return Image(unchecked: width, height, .rgba, Array(canvas)) }
    var rgb = [UInt8](repeating: 0, count: width * height * 3)
    for pixel in 0..<(width * height) {
        rgb[3 * pixel] = canvas[4 * pixel]
        rgb[3 * pixel + 1] = canvas[4 * pixel + 1]
        rgb[3 * pixel + 2] = canvas[4 * pixel + 2]
    }
    return Image(unchecked: width, height, .rgb, rgb)
}
