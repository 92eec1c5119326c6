internal import CWebP

/// Decodes a still WebP with `WebPGetFeatures` + `WebPDecodeRGBAInto`/`WebPDecodeRGBInto`.
///
/// Pillow 13 decodes WebP through `WebPAnimDecoder` in `MODE_RGBA` and names the result
/// "RGBA" when the bitstream has alpha and "RGB" (raw "RGBX") otherwise; for a still image the
/// animation decoder decodes the single key frame straight into its canvas, so the samples are
/// those of `WebPDecodeRGBA`. Animated WebPs are not supported here (Pillow would return the
/// first frame).
func webp_decode(_ bytes: UnsafeRawBufferPointer) throws -> Image {
    let header = try webp_features(bytes)
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
func webp_features(_ bytes: UnsafeRawBufferPointer) throws -> (width: Int, height: Int, mode: Image.Mode) {
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
    guard features.has_animation == 0 else {
        throw DataCompError(.unsupportedFormat, "animated WebP files are not supported; extract a frame first")
    }
    return (Int(features.width), Int(features.height), features.has_alpha != 0 ? .rgba : .rgb)
}
