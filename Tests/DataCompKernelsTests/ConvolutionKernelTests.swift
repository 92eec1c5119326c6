import Testing

@testable import DataCompKernels

/// im2col/col2im for channel-major activations against direct indexing of the convolution's
/// definition (PyTorch's `conv2d` with zero padding), and col2im as im2col's adjoint.
@Suite struct ConvolutionKernelTests {
    static let geometries = [
        ConvolutionGeometry(channels: 2, height: 5, width: 6, kernel: 3, stride: 1, padding: 1),
        ConvolutionGeometry(channels: 3, height: 7, width: 7, kernel: 3, stride: 2, padding: 1),
        ConvolutionGeometry(channels: 1, height: 4, width: 4, kernel: 1, stride: 1, padding: 0),
        ConvolutionGeometry(channels: 2, height: 3, width: 3, kernel: 3, stride: 2, padding: 0),
    ]

    /// The input value a patch entry reads, or 0 in the padding.
    static func direct(
        _ input: [Float], count: Int, geometry g: ConvolutionGeometry, row: Int, image: Int, oy: Int, ox: Int
    ) -> Float {
        let (channel, ky, kx) = (row / (g.kernel * g.kernel), row / g.kernel % g.kernel, row % g.kernel)
        let (iy, ix) = (oy * g.stride + ky - g.padding, ox * g.stride + kx - g.padding)
        guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { return 0 }
        return input[((channel * count + image) * g.height + iy) * g.width + ix]
    }

    @Test("im2col of an image range reads what the convolution's definition reads", arguments: geometries)
    func im2col(geometry g: ConvolutionGeometry) {
        let count = 3
        let input = (0..<(g.channels * count * g.height * g.width)).map { Float($0 % 97) - 40 }
        let images = 1..<3
        let columns = images.count * g.outputPlane
        let leading = columns + 5  // a wider matrix: the extra columns stay untouched
        var patches = [Float](repeating: .nan, count: g.rows * leading)
        input.withUnsafeBufferPointer { source in
            patches.withUnsafeMutableBufferPointer { target in
                ConvolutionKernel.im2col(
                    source, count: count, images: images, geometry: g, into: target.baseAddress!,
                    leadingDimension: leading)
            }
        }
        for row in 0..<g.rows {
            for (slot, image) in images.enumerated() {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        let value = patches[row * leading + slot * g.outputPlane + oy * g.outputWidth + ox]
                        #expect(
                            value
                                == Self.direct(input, count: count, geometry: g, row: row, image: image, oy: oy, ox: ox)
                        )
                    }
                }
            }
            let untouched = patches[(row * leading + columns)..<(row * leading + leading)].allSatisfy { $0.isNaN }
            #expect(untouched)
        }
    }

    @Test("col2im is the adjoint of im2col: ⟨im2col(x), P⟩ = ⟨x, col2im(P)⟩", arguments: geometries)
    func adjoint(geometry g: ConvolutionGeometry) {
        let count = 2
        let input = (0..<(g.channels * count * g.height * g.width)).map { Float($0 % 13) - 6 }
        let columns = count * g.outputPlane
        let gradient = (0..<(g.rows * columns)).map { Float($0 % 11) - 5 }
        var patches = [Float](repeating: 0, count: g.rows * columns)
        var back = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { source in
            patches.withUnsafeMutableBufferPointer {
                ConvolutionKernel.im2col(
                    source, count: count, images: 0..<count, geometry: g, into: $0.baseAddress!,
                    leadingDimension: columns)
            }
        }
        gradient.withUnsafeBufferPointer { source in
            back.withUnsafeMutableBufferPointer {
                ConvolutionKernel.col2im(
                    source.baseAddress!, leadingDimension: columns, count: count, images: 0..<count, geometry: g,
                    addingInto: $0)
            }
        }
        // Small integers: both sums are exact.
        let left = zip(patches, gradient).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let right = zip(input, back).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(left == right)
    }
}
