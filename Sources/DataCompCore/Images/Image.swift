/// A decoded raster image that keeps the pixel mode Pillow would give it.
///
/// OpenCLIP's evaluation transform resizes *before* it converts to RGB, and Pillow resizes each
/// mode differently (palette images with nearest neighbour, RGBA premultiplied, CMYK as four
/// channels). `Image` therefore keeps the decoded mode, its interleaved 8-bit samples and, for
/// ``Mode/palette`` images, the RGB palette, so that every later step can follow Pillow exactly.
///
/// ```swift
/// let image = try Image(contentsOfFile: "cat.jpg")
/// let rgb = image.resized(width: 224, height: 224).convertedToRGB()
/// ```
public struct Image: Sendable, Equatable {
    /// A pixel layout, named as Pillow names it.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Pillow `"1"`: one bit per pixel, stored as one byte that is 0 or 255.
        case bilevel = "1"
        /// Pillow `"L"`: 8-bit grayscale.
        case gray = "L"
        /// Pillow `"LA"`: 8-bit grayscale and alpha (not premultiplied).
        case grayAlpha = "LA"
        /// Pillow `"P"`: 8-bit indices into a 256-entry RGB palette.
        case palette = "P"
        /// Pillow `"RGB"`: 8-bit red, green and blue.
        case rgb = "RGB"
        /// Pillow `"RGBA"`: 8-bit red, green, blue and alpha (not premultiplied).
        case rgba = "RGBA"
        /// Pillow `"CMYK"`: 8-bit cyan, magenta, yellow and black (Pillow's inverted Adobe convention).
        case cmyk = "CMYK"
        /// Pillow `"I;16"`: 16-bit grayscale, stored as two little-endian bytes per pixel.
        case gray16 = "I;16"

        /// The number of bytes one pixel takes in ``Image/pixels``.
        public var bytesPerPixel: Int {
            switch self {
            case .bilevel, .gray, .palette: return 1
            case .grayAlpha, .gray16: return 2
            case .rgb: return 3
            case .rgba, .cmyk: return 4
            }
        }
    }

    /// The width in pixels (at least 1).
    public let width: Int
    /// The height in pixels (at least 1).
    public let height: Int
    /// The pixel layout.
    public let mode: Mode
    /// Interleaved samples, row by row, ``Mode/bytesPerPixel`` bytes per pixel, no row padding.
    public internal(set) var pixels: [UInt8]
    /// For ``Mode/palette`` images, 256 RGB triples (768 bytes); `nil` for every other mode.
    ///
    /// Entries the file did not define are black, as in Pillow.
    public let palette: [UInt8]?

    /// The largest number of pixels an image may have: 178,956,970, the size above which
    /// Pillow 13 refuses to open an image (`DecompressionBombError`, twice
    /// `Image.MAX_IMAGE_PIXELS`).
    public static let maximumPixelCount = 2 * 89_478_485

    /// Creates an image from interleaved samples.
    ///
    /// - Parameters:
    ///   - width: The width in pixels.
    ///   - height: The height in pixels.
    ///   - mode: The pixel layout of `pixels`.
    ///   - pixels: `width × height × mode.bytesPerPixel` bytes, row by row.
    ///   - palette: For ``Mode/palette``, up to 256 RGB triples; shorter palettes are padded with
    ///     black. Must be `nil` for other modes.
    /// - Throws: ``DataCompError`` with code `invalidArgument` when the sizes do not agree or
    ///   the image is empty or larger than ``maximumPixelCount``.
    public init(width: Int, height: Int, mode: Mode, pixels: [UInt8], palette: [UInt8]? = nil) throws {
        let count = try Image.byteCount(width: width, height: height, mode: mode)
        guard pixels.count == count else {
            throw DataCompError(
                .invalidArgument,
                "a \(width)×\(height) \(mode.rawValue) image needs \(count) bytes, got \(pixels.count)")
        }
        if mode == .palette {
            guard let palette, palette.count <= 768, palette.count % 3 == 0 else {
                throw DataCompError(
                    .invalidArgument, "a P image needs a palette of at most 256 RGB triples")
            }
            self.palette = palette.count == 768 ? palette : palette + [UInt8](repeating: 0, count: 768 - palette.count)
        } else {
            guard palette == nil else {
                throw DataCompError(.invalidArgument, "only P images have a palette, not \(mode.rawValue)")
            }
            self.palette = nil
        }
        self.width = width
        self.height = height
        self.mode = mode
        self.pixels = pixels
    }

    /// Creates an image without checking; callers guarantee the invariants.
    init(unchecked width: Int, _ height: Int, _ mode: Mode, _ pixels: [UInt8], palette: [UInt8]? = nil) {
        self.width = width
        self.height = height
        self.mode = mode
        self.pixels = pixels
        self.palette = palette
    }

    /// The number of bytes of a `width × height` image in `mode`, checked for overflow and limits.
    static func byteCount(
        width: Int, height: Int, mode: Mode, code: DataCompError.Code = .invalidArgument
    ) throws -> Int {
        guard width > 0, height > 0 else {
            throw DataCompError(code, "image dimensions must be positive, got \(width)×\(height)")
        }
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixelCount <= maximumPixelCount else {
            throw DataCompError(
                code,
                "image dimensions \(width)×\(height) exceed the limit of \(maximumPixelCount) pixels")
        }
        return pixelCount * mode.bytesPerPixel
    }
}
