import Foundation

/// An image file's format, size and Pillow mode, read from its header without decoding pixels.
public struct ImageInfo: Sendable, Hashable {
    /// The file format.
    public var format: ImageFormat
    /// The width in pixels.
    public var width: Int
    /// The height in pixels.
    public var height: Int
    /// The mode Pillow 13 would open the image in (and ``Image/init(decoding:)`` decodes to).
    public var mode: Image.Mode

    /// Reads the header of an encoded JPEG, PNG or WebP image.
    ///
    /// - Parameter bytes: The encoded file (only the header is examined, in place).
    /// - Throws: ``DataCompError`` when the format is not recognised or the header is invalid.
    public init(decodingHeaderOf bytes: some ContiguousBytes) throws {
        self = try bytes.withUnsafeBytes { try ImageInfo.read($0) }
    }

    /// Reads the header of a JPEG, PNG or WebP file (see ``init(decodingHeaderOf:)``).
    ///
    /// - Parameter path: The file; its extension is ignored.
    /// - Throws: ``DataCompError`` naming `path` when it cannot be read or is not a valid image.
    public init(contentsOfFile path: String) throws {
        self = try MappedFile.parsing(path) { try ImageInfo.read($0.bytes) }
    }

    init(format: ImageFormat, width: Int, height: Int, mode: Image.Mode) {
        self.format = format
        self.width = width
        self.height = height
        self.mode = mode
    }

    static func read(_ bytes: UnsafeRawBufferPointer) throws -> ImageInfo {
        guard let format = ImageFormat.sniff(bytes) else {
            throw DataCompError(
                .imageDecodingFailed, "not a JPEG, PNG or WebP image (unrecognised leading bytes)",
                position: .offset(0))
        }
        switch format {
        case .jpeg:
            let header = try turbo_decompress_header(bytes)
            return ImageInfo(format: .jpeg, width: header.width, height: header.height, mode: header.mode)
        case .png:
            let header = try PNGDecoder.header(bytes)
            return ImageInfo(format: .png, width: header.width, height: header.height, mode: header.mode)
        case .webp:
            let header = try webp_features(bytes)
            return ImageInfo(format: .webp, width: header.width, height: header.height, mode: header.mode)
        }
    }
}
