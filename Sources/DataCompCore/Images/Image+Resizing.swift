extension Image {
    /// Returns this image resized to `width × height` exactly as Pillow 13's `Image.resize` does.
    ///
    /// The rules of `Image.resize` are followed: "P" and "1" images always use
    /// ``ResamplingFilter/nearest``; "RGBA" and "LA" images are resampled premultiplied
    /// (Pillow's "RGBa"/"La") and unpremultiplied afterwards; every other mode is resampled per
    /// channel with Pillow's 22-bit fixed-point separable filter, horizontal pass first. The
    /// result is bit-identical to Pillow's.
    ///
    /// - Parameters:
    ///   - width: The output width, at least 1.
    ///   - height: The output height, at least 1.
    ///   - filter: The resampling filter; Pillow's default is ``ResamplingFilter/bicubic``.
    ///   - box: The source rectangle to scale; the whole image when `nil`.
    /// - Returns: The resized image, in the same mode.
    /// - Precondition: `width` and `height` are positive, `width × height` is at most
    ///   ``Image/maximumPixelCount``, and `box` lies inside the image with non-negative extent.
    public func resized(
        width: Int, height: Int, filter: ResamplingFilter = .bicubic, box: ResizeBox? = nil
    ) -> Image {
        resized(
            width: width, height: height, filter: filter, box: box,
            window: (0, 0, width, height))
    }

    /// Like ``resized(width:height:filter:box:)`` but computes only the `window` of the output
    /// (bit-identical to cropping the full result afterwards, at a fraction of the cost).
    package func resized(
        width outputWidth: Int, height outputHeight: Int, filter requested: ResamplingFilter,
        box: ResizeBox?, window: (x: Int, y: Int, width: Int, height: Int)
    ) -> Image {
        precondition(outputWidth > 0 && outputHeight > 0, "height and width must be > 0")
        // Only the window is allocated, so the full output may be larger than an image may be
        // (torchvision's Resize of a 1×100000 image to 224 wide is 224×22,400,000).
        precondition(outputWidth <= Int(Int32.max) && outputHeight <= Int(Int32.max), "output size too large")
        precondition(
            window.width.multipliedReportingOverflow(by: window.height).partialValue <= Image.maximumPixelCount,
            "window \(window.width)×\(window.height) is too large")
        precondition(
            window.x >= 0 && window.y >= 0 && window.width >= 1 && window.height >= 1
                && window.x + window.width <= outputWidth && window.y + window.height <= outputHeight,
            "window must lie inside the output")
        let region = box ?? ResizeBox(left: 0, top: 0, right: Float(width), bottom: Float(height))
        precondition(region.left >= 0 && region.top >= 0, "box offset can't be negative")
        precondition(
            region.right <= Float(width) && region.bottom <= Float(height), "box can't exceed original image size")
        precondition(region.right - region.left >= 0 && region.bottom - region.top >= 0, "box can't be empty")
        let pillowBox = (x0: region.left, y0: region.top, x1: region.right, y1: region.bottom)

        // `Image.resize`: a same-size, whole-image resize is a copy.
        let wholeImage = region == ResizeBox(left: 0, top: 0, right: Float(width), bottom: Float(height))
        var filter = requested
        if mode == .palette || mode == .bilevel { filter = .nearest }

        let bpp = mode.bytesPerPixel
        // `_resize`: an integer box of the output's size is a crop.
        let integerBox =
            region.left == region.left.rounded(.towardZero) && region.top == region.top.rounded(.towardZero)
        if (outputWidth == width && outputHeight == height && wholeImage)
            || (integerBox && region.right - region.left == Float(outputWidth)
                && region.bottom - region.top == Float(outputHeight))
        {
            let shifted = (
                x: Int(region.left) + window.x, y: Int(region.top) + window.y, width: window.width,
                height: window.height
            )
            var data = PillowResampler.crop(pixels, width: width, bytesPerPixel: bpp, window: shifted)
            if (mode == .rgba || mode == .grayAlpha) && filter != .nearest
                && !(outputWidth == width && outputHeight == height && wholeImage)
            {
                // Pillow still round-trips through "RGBa"/"La" before cropping.
                PixelConversion.premultiply(&data, channels: bpp)
                PixelConversion.unpremultiply(&data, channels: bpp)
            }
            return Image(unchecked: window.width, window.height, mode, data, palette: palette)
        }

        let data: [UInt8]
        switch filter {
        case .nearest:
            data = PillowResampler.nearest(
                pixels, width: width, height: height, bytesPerPixel: bpp,
                outputWidth: outputWidth, outputHeight: outputHeight, box: pillowBox, window: window,
                generic: mode == .gray16)
        case .bilinear, .bicubic:
            let kernel: PillowResampler.Kernel = filter == .bilinear ? .bilinear : .bicubic
            if mode == .gray16 {
                data = PillowResampler.resample16(
                    pixels, width: width, height: height,
                    outputWidth: outputWidth, outputHeight: outputHeight, box: pillowBox,
                    kernel: kernel, window: window)
            } else if mode == .rgba || mode == .grayAlpha {
                var premultiplied = pixels
                PixelConversion.premultiply(&premultiplied, channels: bpp)
                var resampled = PillowResampler.resample(
                    premultiplied, width: width, height: height, channels: bpp,
                    outputWidth: outputWidth, outputHeight: outputHeight, box: pillowBox,
                    kernel: kernel, window: window)
                PixelConversion.unpremultiply(&resampled, channels: bpp)
                data = resampled
            } else {
                data = PillowResampler.resample(
                    pixels, width: width, height: height, channels: bpp,
                    outputWidth: outputWidth, outputHeight: outputHeight, box: pillowBox,
                    kernel: kernel, window: window)
            }
        }
        return Image(unchecked: window.width, window.height, mode, data, palette: palette)
    }
}
