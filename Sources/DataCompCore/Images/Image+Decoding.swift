import Foundation

extension Image {
    /// Decodes a JPEG, PNG or WebP image from memory into the mode Pillow 13 would give it.
    ///
    /// The format is recognised from magic bytes (see ``ImageFormat/sniff(_:)``). JPEGs decode
    /// to "L", "RGB" or "CMYK" (Adobe-inverted, as Pillow); PNGs to "1", "L", "I;16", "LA",
    /// "P", "RGB" or "RGBA" with Pillow's 16-bit rules; WebPs to "RGB" or "RGBA".
    ///
    /// The bytes are read in place: a webdataset member (``MemberBytes``), `[UInt8]` or `Data`
    /// is not copied.
    ///
    /// - Parameter bytes: The complete encoded file.
    /// - Throws: ``DataCompError`` with code `imageDecodingFailed`, `truncatedFile`,
    ///   `corruptData` or `unsupportedFormat` for unrecognised, truncated, corrupt or
    ///   oversized (more than ``maximumPixelCount`` pixels) images. Never traps on bad data.
    public init(decoding bytes: some ContiguousBytes) throws {
        self = try bytes.withUnsafeBytes { try Image.decode($0) }
    }

    /// Reads and decodes a JPEG, PNG or WebP file (see ``init(decoding:)``).
    ///
    /// - Parameter path: The file to read; its extension is ignored.
    /// - Throws: ``DataCompError`` naming `path` when the file cannot be read or decoded.
    public init(contentsOfFile path: String) throws {
        self = try MappedFile.parsing(path) { try Image.decode($0.bytes) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Image {
        guard let format = ImageFormat.sniff(bytes) else {
            throw DataCompError(
                .imageDecodingFailed,
                "not a JPEG, PNG or WebP image (unrecognised leading bytes); convert it to one of these formats",
                position: .offset(0))
        }
        switch format {
        case .jpeg:
            let decoded = try turbo_decompress(bytes)
            return Image(unchecked: decoded.width, decoded.height, decoded.mode, decoded.pixels)
        case .png:
            return try PNGDecoder.decode(bytes)
        case .webp:
            return try webp_decode(bytes)
        }
    }
}
