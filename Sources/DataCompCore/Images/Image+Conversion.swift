extension Image {
    /// Returns this image converted to RGB exactly as Pillow 13's `convert("RGB")` does.
    ///
    /// Gray is replicated, alpha is dropped without compositing, palette indices are looked up
    /// (transparency is ignored), CMYK goes through Pillow's `cmyk2rgb`
    /// (`255 − k − c·(255 − k)/255`, rounded as Pillow rounds), and 16-bit gray is clipped to
    /// 255 as Pillow clips it.
    ///
    /// - Returns: An ``Mode/rgb`` image of the same size; `self` if it already is RGB.
    public func convertedToRGB() -> Image {
        if mode == .rgb { return self }
        let data = PixelConversion.rgb(from: pixels, mode: mode, palette: palette, pixelCount: width * height)
        return Image(unchecked: width, height, .rgb, data)
    }

    /// Returns the `width × height` region whose top-left corner is at (`left`, `top`), with
    /// zero samples where it extends past the image (torchvision's `pad(fill=0)` + `crop`).
    ///
    /// - Parameters:
    ///   - left: The region's left edge; may be negative.
    ///   - top: The region's top edge; may be negative.
    ///   - cropWidth: The region's width, at least 1.
    ///   - cropHeight: The region's height, at least 1.
    /// - Returns: The region, in the same mode (palette images keep their palette, so zero
    ///   padding shows palette entry 0, as with torchvision).
    public func cropped(left: Int, top: Int, width cropWidth: Int, height cropHeight: Int) -> Image {
        precondition(cropWidth > 0 && cropHeight > 0, "crop size must be positive")
        let bpp = mode.bytesPerPixel
        if left >= 0, top >= 0, left + cropWidth <= width, top + cropHeight <= height {
            let data = PillowResampler.crop(
                pixels, width: width, bytesPerPixel: bpp, window: (left, top, cropWidth, cropHeight))
            return Image(unchecked: cropWidth, cropHeight, mode, data, palette: palette)
        }
        var data = [UInt8](repeating: 0, count: cropWidth * cropHeight * bpp)
        let x0 = max(left, 0), x1 = min(left + cropWidth, width)
        let y0 = max(top, 0), y1 = min(top + cropHeight, height)
        if x0 < x1 && y0 < y1 {
            for y in y0..<y1 {
                let src = (y * width + x0) * bpp
                let dst = ((y - top) * cropWidth + (x0 - left)) * bpp
                data.replaceSubrange(dst..<(dst + (x1 - x0) * bpp), with: pixels[src..<(src + (x1 - x0) * bpp)])
            }
        }
        return Image(unchecked: cropWidth, cropHeight, mode, data, palette: palette)
    }
}
