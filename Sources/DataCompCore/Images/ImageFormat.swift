/// An encoded image file format, recognised from the file's first bytes.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable {
    /// JPEG (JFIF/Exif/Adobe), decoded with libturbojpeg.
    case jpeg = "JPEG"
    /// PNG, including interlaced and 16-bit files.
    case png = "PNG"
    /// WebP (lossy, lossless, with or without alpha; still images only), decoded with libwebp.
    case webp = "WEBP"

    /// Recognises the format from magic bytes, ignoring any file extension.
    ///
    /// - Parameter bytes: The start of the file (12 bytes suffice).
    /// - Returns: The format, or `nil` if the bytes match none of the supported formats.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        let head = Array(bytes.prefix(12))
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        if head.count >= 8, head.starts(with: PNGDecoder.signature) { return .png }
        if head.count >= 12, head[0...3] == [0x52, 0x49, 0x46, 0x46], head[8...11] == [0x57, 0x45, 0x42, 0x50] {
            return .webp
        }
        return nil
    }
}
