/// The shape of a bias-free 2-D convolution (square kernel, equal stride and padding on both
/// axes) over channel-major activations `[channels, images, height, width]`.
package struct ConvolutionGeometry: Sendable, Hashable {
    /// Input channels.
    package let channels: Int
    /// Input height.
    package let height: Int
    /// Input width.
    package let width: Int
    /// The kernel's side.
    package let kernel: Int
    /// The stride.
    package let stride: Int
    /// Zero padding on every side.
    package let padding: Int

    /// Creates a geometry.
    ///
    /// - Precondition: Positive sizes, kernel, stride; non-negative padding; the padded input
    ///   holds at least one kernel.
    package init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        precondition(channels > 0 && height > 0 && width > 0 && kernel > 0 && stride > 0 && padding >= 0)
        precondition(height + 2 * padding >= kernel && width + 2 * padding >= kernel, "the kernel exceeds the input")
        (self.channels, self.height, self.width) = (channels, height, width)
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
    }

    /// Output height: `(height + 2·padding − kernel) / stride + 1`.
    package var outputHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    /// Output width.
    package var outputWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Output positions per image.
    package var outputPlane: Int { outputHeight * outputWidth }
    /// Rows of the patch matrix: `channels · kernel²`, ordered (channel, ky, kx) as PyTorch's
    /// weight `[out, in, kernel, kernel]` is flattened.
    package var rows: Int { channels * kernel * kernel }
    /// The values of a `count`-image input.
    package func inputValues(_ count: Int) -> Int { channels * count * height * width }
    /// Whether the convolution is a plain matrix product (1×1, stride 1, no padding): the
    /// input's `[channels, images · plane]` matrix is its own patch matrix.
    package var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }
}

/// The im2col lowering of a convolution to a matrix product, for channel-major activations.
///
/// The patch matrix of images `a..<b` has ``ConvolutionGeometry/rows`` rows and
/// `(b − a) · outputPlane` columns, column `(image − a) · outputPlane + oy · outputWidth + ox`;
/// `W[out, rows] · patches` is then the output's `[out, (b − a) · outputPlane]` block, which is
/// where those images sit in a channel-major output.
package enum ConvolutionKernel {
    /// Writes the patch matrix of images `images` of a `count`-image input.
    ///
    /// - Parameters:
    ///   - input: `[channels, count, height, width]` values.
    ///   - count: The images in `input`.
    ///   - images: The images to lower.
    ///   - geometry: The convolution.
    ///   - patches: The first value of the patch matrix.
    ///   - leadingDimension: The distance between its rows (at least its columns).
    package static func im2col(
        _ input: UnsafeBufferPointer<Float>, count: Int, images: Range<Int>, geometry: ConvolutionGeometry,
        into patches: UnsafeMutablePointer<Float>, leadingDimension: Int
    ) {
        precondition(input.count == geometry.inputValues(count), "the input is not [c, n, h, w]")
        guard let source = input.baseAddress else { return }
        let (width, stride) = (geometry.outputWidth, geometry.stride)
        forEachRow(
            count: count, images: images, geometry: geometry, patches: patches, leadingDimension: leadingDimension,
            input: UnsafeMutablePointer(mutating: source)
        ) { out, start, first, last in
            guard let start else {
                out.update(repeating: 0, count: width)
                return
            }
            out.update(repeating: 0, count: first)
            if stride == 1 {
                (out + first).update(from: start, count: last - first)
            } else {
                for ox in first..<last { out[ox] = start[(ox - first) * stride] }
            }
            (out + last).update(repeating: 0, count: width - last)
        }
    }

    /// Adds a patch matrix's values back onto the positions they were read from (the adjoint
    /// of ``im2col(_:count:images:geometry:into:leadingDimension:)``): the input gradient of
    /// images `images` from the gradient of their patches.
    ///
    /// - Parameters:
    ///   - patches: The first value of the patch-gradient matrix.
    ///   - leadingDimension: The distance between its rows.
    ///   - count: The images in `input`.
    ///   - images: The images the patches belong to.
    ///   - geometry: The convolution.
    ///   - input: `[channels, count, height, width]` values to add into.
    package static func col2im(
        _ patches: UnsafePointer<Float>, leadingDimension: Int, count: Int, images: Range<Int>,
        geometry: ConvolutionGeometry, addingInto input: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(input.count == geometry.inputValues(count), "the input is not [c, n, h, w]")
        guard let target = input.baseAddress else { return }
        let stride = geometry.stride
        forEachRow(
            count: count, images: images, geometry: geometry, patches: UnsafeMutablePointer(mutating: patches),
            leadingDimension: leadingDimension, input: target
        ) { out, start, first, last in
            guard let start else { return }
            for ox in first..<last { start[(ox - first) * stride] += out[ox] }
        }
    }

    /// Visits every output row of every patch row of `images`, the walk ``im2col`` and
    /// ``col2im`` share: `body(row, start, first, last)` gets the row's `outputWidth` patch
    /// values, and the input value that column `first` reads (columns `first..<last` read every
    /// `stride`-th value from there), or `nil` when the whole row lies in the padding.
    @inline(__always) private static func forEachRow(
        count: Int, images: Range<Int>, geometry g: ConvolutionGeometry, patches: UnsafeMutablePointer<Float>,
        leadingDimension: Int, input: UnsafeMutablePointer<Float>,
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?, Int, Int) -> Void
    ) {
        let (outputHeight, outputWidth, plane) = (g.outputHeight, g.outputWidth, g.height * g.width)
        for channel in 0..<g.channels {
            for ky in 0..<g.kernel {
                for kx in 0..<g.kernel {
                    let row = patches + ((channel * g.kernel + ky) * g.kernel + kx) * leadingDimension
                    let (first, last) = span(kx, geometry: g)
                    for (slot, image) in images.enumerated() {
                        let map = input + (channel * count + image) * plane
                        for oy in 0..<outputHeight {
                            let out = row + (slot * outputHeight + oy) * outputWidth
                            let iy = oy * g.stride + ky - g.padding
                            guard iy >= 0 && iy < g.height, first < last else {
                                body(out, nil, first, last)
                                continue
                            }
                            // The first input read, always inside the image.
                            body(out, map + iy * g.width + (first * g.stride + kx - g.padding), first, last)
                        }
                    }
                }
            }
        }
    }

    /// The output columns `first..<last` whose input column `ox·stride + kx − padding` lies
    /// inside the image.
    @inline(__always) private static func span(_ kx: Int, geometry g: ConvolutionGeometry) -> (Int, Int) {
        let first = max(0, (g.padding - kx + g.stride - 1) / g.stride)
        let reach = g.width - 1 + g.padding - kx
        let last = reach < 0 ? 0 : min(g.outputWidth, reach / g.stride + 1)
        return (first, max(first, last))
    }
}
