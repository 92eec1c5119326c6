extension Image {
    /// Encodes this image as a baseline JPEG, as Pillow's `save(format="JPEG", quality=…)` does
    /// by default (4:2:0 chroma subsampling, accurate integer DCT).
    ///
    /// "L" images are written as grayscale JPEGs; every other mode is converted to RGB first
    /// (see ``convertedToRGB()``). The corresponding C function is `tjCompress2`.
    ///
    /// - Parameter quality: The JPEG quality, 1…100; Pillow's default is 75.
    /// - Returns: The encoded file.
    /// - Throws: ``DataCompError`` with code `imageEncodingFailed` if libturbojpeg fails.
    /// - Precondition: `quality` is in `1...100`.
    public func jpegData(quality: Int = 75) throws -> [UInt8] {
        precondition((1...100).contains(quality), "JPEG quality must be between 1 and 100, got \(quality)")
        if mode == .gray {
            return try turbo_compress(pixels, width: width, height: height, gray: true, quality: quality)
        }
        return try turbo_compress(convertedToRGB().pixels, width: width, height: height, gray: false, quality: quality)
    }
}
