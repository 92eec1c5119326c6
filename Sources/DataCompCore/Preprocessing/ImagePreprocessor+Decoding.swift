extension ImagePreprocessor {
    /// Decodes an encoded image and writes its evaluation transform into `out`, reusing the
    /// buffers of `scratch`.
    ///
    /// Baseline and progressive JPEGs in "RGB" or "L" — almost every web image — are decoded
    /// into the scratch and resampled from there straight into the cropped window, without an
    /// ``Image`` in between; other images go through ``Image/init(decoding:)`` and
    /// ``writeEvaluationTensor(for:into:)``. Both give the same bits.
    func writeEvaluationTensor(
        decoding bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>,
        scratch: PreprocessingScratch
    ) throws {
        guard ImageFormat.sniff(bytes) == .jpeg, filter == .bicubic || filter == .bilinear else {
            return try writeEvaluationTensor(for: Image.decode(bytes), into: out)
        }
        // A fresh decompressor per image, as Pillow: libjpeg carries tables over (see PreprocessingScratch).
        let decoder = try TurboJPEGHandle(compressing: false)
        let header = try turbo_decompress_header(bytes, decoder: decoder)
        guard header.mode == .rgb || header.mode == .gray else {
            return try writeEvaluationTensor(for: Image.decode(bytes), into: out)
        }
        let channels = header.mode.bytesPerPixel
        let count = try Image.byteCount(
            width: header.width, height: header.height, mode: header.mode, code: .imageDecodingFailed)
        let decoded = scratch.decoded.bytes(count)
        try turbo_decompress(bytes, header: header, decoder: decoder, into: decoded)
        let geometry = try evaluationGeometry(width: header.width, height: header.height)
        let n = size
        guard let window = geometry.window else {
            // Zero padding (never for Resize(size) outputs, which are at least size × size).
            let image = Image(unchecked: header.width, header.height, header.mode, Array(decoded))
            return try writeEvaluationTensor(for: image, into: out)
        }
        let pixels: UnsafeBufferPointer<UInt8>
        let stride: Int
        if geometry.target.width == header.width && geometry.target.height == header.height {
            // Already the target size: the crop reads the decoded pixels in place.
            pixels = UnsafeBufferPointer(rebasing: decoded[((window.y * header.width + window.x) * channels)...])
            stride = header.width * channels
        } else {
            let output = scratch.window.bytes(n * n * channels)
            PillowResampler.resample(
                UnsafeBufferPointer(decoded), width: header.width, height: header.height, channels: channels,
                outputWidth: geometry.target.width, outputHeight: geometry.target.height,
                box: (0, 0, Float(header.width), Float(header.height)),
                kernel: filter == .bilinear ? .bilinear : .bicubic, window: window,
                intermediate: scratch.intermediate, into: output)
            pixels = UnsafeBufferPointer(output)
            stride = n * channels
        }
        normalize(pixels, rowStride: stride, channels: channels, width: n, height: n, into: out)
    }

    /// The resize target and the crop window of the evaluation transform for an image of
    /// `width × height`; the window is `nil` when the crop would pad.
    func evaluationGeometry(width: Int, height: Int) throws -> (
        target: (width: Int, height: Int), window: (x: Int, y: Int, width: Int, height: Int)?
    ) {
        let short = min(width, height), long = max(width, height)
        let (product, overflow) = size.multipliedReportingOverflow(by: long)
        guard !overflow, product / short <= Int(Int32.max) else {
            throw DataCompError(
                .unsupportedFormat,
                "the image is \(width)×\(height): resizing its shorter side to \(size) would make the longer side \(overflow ? "overflow" : "\(product / short) pixels"), more than 2³¹ − 1 (Pillow raises OverflowError on it too); skip such extreme-aspect images"
            )
        }
        let target = resizedSize(width: width, height: height)
        let n = size
        let left = cropOffset(target.width), top = cropOffset(target.height)
        guard left >= 0 && top >= 0 && left + n <= target.width && top + n <= target.height else {
            return (target, nil)
        }
        return (target, (left, top, n, n))
    }

    /// torchvision's `center_crop` offset along an axis of `extent` pixels: negative (padding,
    /// floor) when the image is smaller than ``size``, else `round((extent − size) / 2)` with
    /// Python's round-half-even.
    func cropOffset(_ extent: Int) -> Int {
        if size > extent { return -((size - extent) / 2) }
        return Int((Double(extent - size) / 2.0).rounded(.toNearestOrEven))
    }

    /// Writes `ToTensor()` + `Normalize(mean, std)` of interleaved RGB (3 channels) or gray (1
    /// channel, replicated as `convert("RGB")` does) pixels into the three planes of `out`.
    func normalize(
        _ pixels: UnsafeBufferPointer<UInt8>, rowStride: Int, channels: Int, width: Int, height: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        let plane = width * height
        precondition(out.count == 3 * plane, "the output holds \(out.count) values, not 3 × \(plane)")
        let mean = self.mean, std = self.standardDeviation
        // One lookup table per channel: the same Float operations torch performs per value.
        var tables = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            for v in 0..<256 { tables[c * 256 + v] = (Float(v) / 255 - mean[c]) / std[c] }
        }
        tables.withUnsafeBufferPointer { lut in
            for y in 0..<height {
                let row = y &* rowStride
                let base = y &* width
                if channels == 3 {
                    for x in 0..<width {
                        let p = row &+ 3 &* x
                        out[base &+ x] = lut[Int(pixels[p])]
                        out[plane &+ base &+ x] = lut[256 &+ Int(pixels[p &+ 1])]
                        out[2 &* plane &+ base &+ x] = lut[512 &+ Int(pixels[p &+ 2])]
                    }
                } else {
                    for x in 0..<width {
                        let v = Int(pixels[row &+ x])
                        out[base &+ x] = lut[v]
                        out[plane &+ base &+ x] = lut[256 &+ v]
                        out[2 &* plane &+ base &+ x] = lut[512 &+ v]
                    }
                }
            }
        }
    }
}
