import DataCompCore
internal import DataCompKernels
import Foundation

/// The ModifiedResNet's layers on channel-major ``FeatureMap``s, forward and backward, shared by
/// the inference pass (``ResNetForward``) and the training tape (``ResNetTape``).
///
/// Each layer splits its work into at most `width` parts that run at once, each with one
/// OpenBLAS thread: convolutions by images (every part lowers and multiplies its own columns),
/// BatchNorm by channels, element-wise passes by ranges. So a training step keeps every core
/// busy although the miniature models' matrix products are too small for OpenBLAS's own
/// threading.
struct ResNetLayers: Sendable {
    /// How many parts run at once.
    let width: Int

    /// What a training-mode BatchNorm keeps for backward and for the running statistics.
    struct BatchNormRecord {
        /// The BatchNorm's input (the convolution's output, shared, not copied).
        var input: [Float]
        /// The batch statistics per channel.
        var statistics: [BatchNormKernel.Statistics]
    }

    /// Patch-matrix values one part lowers at a time (about 1 MiB, so that a part's patches
    /// stay in cache between im2col and the product).
    static let patchBudget = 1 << 18

    // MARK: Convolution

    /// A bias-free convolution: `W · patches`, one product per part and group of images.
    func convolve(_ x: FeatureMap, weights: [Float], kernel: Int, stride: Int, padding: Int) -> FeatureMap {
        let g = geometry(x, kernel: kernel, stride: stride, padding: padding)
        let outputs = weights.count / g.rows
        let columns = x.count * g.outputPlane
        var output = Self.uninitialized(outputs * columns)
        output.withUnsafeMutableBufferPointer { out in
            let sink = SharedBuffer(out)
            let parts = BoundedFanOut.contiguousParts(x.count, width)
            run(parts.count) { part in
                let images = parts[part]
                x.values.withUnsafeBufferPointer { input in
                    weights.withUnsafeBufferPointer { w in
                        let weight = MatrixView(w, rows: outputs, columns: g.rows)
                        forEachGroup(of: images, geometry: g) { group, patches in
                            let source =
                                patches.map {
                                    MatrixView(UnsafePointer($0), rows: g.rows, columns: group.count * g.outputPlane)
                                }
                                ?? MatrixView(
                                    input, offset: group.lowerBound * g.outputPlane, rows: g.rows,
                                    columns: group.count * g.outputPlane, leadingDimension: columns)
                            if let patches {
                                ConvolutionKernel.im2col(
                                    input, count: x.count, images: group, geometry: g, into: patches,
                                    leadingDimension: group.count * g.outputPlane)
                            }
                            GEMM.multiply(
                                weight, source,
                                into: MutableMatrixView(
                                    sink.buffer, offset: group.lowerBound * g.outputPlane, rows: outputs,
                                    columns: group.count * g.outputPlane, leadingDimension: columns))
                        }
                    }
                }
            }
        }
        return FeatureMap(
            values: output, count: x.count, channels: outputs, height: g.outputHeight, width: g.outputWidth)
    }

    /// The gradients of a convolution: with respect to its input, and to its weights (`dY ·
    /// patchesᵀ`, summed over the parts).
    func convolutionBackward(
        _ gradient: FeatureMap, input x: FeatureMap, weights: [Float], kernel: Int, stride: Int, padding: Int
    ) -> (input: FeatureMap, weights: [Float]) {
        let g = geometry(x, kernel: kernel, stride: stride, padding: padding)
        let outputs = gradient.channels
        let columns = gradient.span
        // Pointwise products write every value; col2im adds into zeros.
        var dInput = g.isPointwise ? Self.uninitialized(x.values.count) : [Float](repeating: 0, count: x.values.count)
        let parts = BoundedFanOut.contiguousParts(x.count, width)
        var partials = [[Float]](repeating: [], count: parts.count)
        dInput.withUnsafeMutableBufferPointer { dx in
            partials.withUnsafeMutableBufferPointer { partialBuffers in
                let sink = SharedBuffer(dx)
                let partialSink = SharedBuffer(partialBuffers)
                run(parts.count) { part in
                    var dWeight = [Float](repeating: 0, count: outputs * g.rows)
                    gradient.values.withUnsafeBufferPointer { dy in
                        x.values.withUnsafeBufferPointer { input in
                            weights.withUnsafeBufferPointer { w in
                                dWeight.withUnsafeMutableBufferPointer { dW in
                                    backwardPart(
                                        parts[part], dy: dy, columns: columns, input: input, count: x.count,
                                        weights: w, outputs: outputs, geometry: g, dWeight: dW, dInput: sink.buffer)
                                }
                            }
                        }
                    }
                    partialSink.base[part] = dWeight
                }
            }
        }
        var dWeight = partials[0]
        for partial in partials.dropFirst() {
            for index in dWeight.indices { dWeight[index] += partial[index] }
        }
        return (x.with(values: dInput), dWeight)
    }

    private func backwardPart(
        _ images: Range<Int>, dy: UnsafeBufferPointer<Float>, columns: Int, input: UnsafeBufferPointer<Float>,
        count: Int, weights w: UnsafeBufferPointer<Float>, outputs: Int, geometry g: ConvolutionGeometry,
        dWeight dW: UnsafeMutableBufferPointer<Float>, dInput dx: UnsafeMutableBufferPointer<Float>
    ) {
        let weight = MatrixView(w, rows: outputs, columns: g.rows)
        let weightGradient = MutableMatrixView(dW, rows: outputs, columns: g.rows)
        let scratch = g.isPointwise ? nil : UnsafeMutableBufferPointer<Float>.allocate(capacity: groupValues(g))
        defer { scratch?.deallocate() }
        forEachGroup(of: images, geometry: g) { group, patches in
            let wide = group.count * g.outputPlane
            let offset = group.lowerBound * g.outputPlane
            let dY = MatrixView(dy, offset: offset, rows: outputs, columns: wide, leadingDimension: columns)
            guard let patches, let dPatches = scratch?.baseAddress else {
                // Pointwise: the input is its own patch matrix, dX = Wᵀ · dY directly.
                let source = MatrixView(input, offset: offset, rows: g.rows, columns: wide, leadingDimension: columns)
                GEMM.multiply(dY, source, into: weightGradient, transposeB: true, beta: 1)
                GEMM.multiply(
                    weight, dY,
                    into: MutableMatrixView(dx, offset: offset, rows: g.rows, columns: wide, leadingDimension: columns),
                    transposeA: true)
                return
            }
            ConvolutionKernel.im2col(
                input, count: count, images: group, geometry: g, into: patches, leadingDimension: wide)
            GEMM.multiply(
                dY, MatrixView(UnsafePointer(patches), rows: g.rows, columns: wide), into: weightGradient,
                transposeB: true, beta: 1)
            GEMM.multiply(weight, dY, into: MutableMatrixView(dPatches, rows: g.rows, columns: wide), transposeA: true)
            ConvolutionKernel.col2im(
                dPatches, leadingDimension: wide, count: count, images: group, geometry: g, addingInto: dx)
        }
    }

    /// Calls `body` for consecutive groups of `images` small enough for ``patchBudget``, with a
    /// patch buffer for the group (`nil` for a pointwise convolution, which needs none).
    private func forEachGroup(
        of images: Range<Int>, geometry g: ConvolutionGeometry,
        _ body: (Range<Int>, UnsafeMutablePointer<Float>?) -> Void
    ) {
        if g.isPointwise {
            body(images, nil)
            return
        }
        let per = max(1, Self.patchBudget / (g.rows * g.outputPlane))
        let patches = UnsafeMutablePointer<Float>.allocate(capacity: groupValues(g))
        defer { patches.deallocate() }
        for start in Swift.stride(from: images.lowerBound, to: images.upperBound, by: per) {
            body(start..<min(start + per, images.upperBound), patches)
        }
    }

    /// The patch values of the largest group.
    private func groupValues(_ g: ConvolutionGeometry) -> Int {
        max(1, Self.patchBudget / (g.rows * g.outputPlane)) * g.rows * g.outputPlane
    }

    private func geometry(_ x: FeatureMap, kernel: Int, stride: Int, padding: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(
            channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride, padding: padding)
    }

    // MARK: BatchNorm

    /// Training-mode BatchNorm (eps 1e-5) with the batch's statistics, optionally followed by ReLU.
    func batchNorm(_ x: FeatureMap, weight: [Float], bias: [Float], relu: Bool) -> (FeatureMap, BatchNormRecord) {
        let span = x.span
        var output = Self.uninitialized(x.values.count)
        var statistics = [BatchNormKernel.Statistics](
            repeating: BatchNormKernel.Statistics(mean: 0, squares: 0, inverse: 0, unbiasedVariance: 0),
            count: x.channels)
        output.withUnsafeMutableBufferPointer { out in
            statistics.withUnsafeMutableBufferPointer { stats in
                let (sink, statisticsSink) = (SharedBuffer(out), SharedBuffer(stats))
                forEachChannelPart(x.channels) { range in
                    x.values.withUnsafeBufferPointer { input in
                        for channel in range {
                            let values = UnsafeBufferPointer(rebasing: input[(channel * span)..<((channel + 1) * span)])
                            let channelStatistics = BatchNormKernel.statistics(values)
                            BatchNormKernel.normalize(
                                values, mean: channelStatistics.mean, inverse: channelStatistics.inverse,
                                weight: weight[channel], bias: bias[channel], relu: relu,
                                output: sink.base + channel * span)
                            statisticsSink.base[channel] = channelStatistics
                        }
                    }
                }
            }
        }
        return (x.with(values: output), BatchNormRecord(input: x.values, statistics: statistics))
    }

    /// The gradient of a training-mode BatchNorm (and the ReLU after it, when fused) with
    /// respect to its input, and to γ and β.
    func batchNormBackward(
        _ gradient: FeatureMap, record: BatchNormRecord, weight: [Float], bias: [Float], relu: Bool
    ) -> (input: FeatureMap, weight: [Float], bias: [Float]) {
        let (channels, span) = (gradient.channels, gradient.span)
        var dInput = Self.uninitialized(gradient.values.count)
        var parameters = [Float](repeating: 0, count: 2 * channels)
        dInput.withUnsafeMutableBufferPointer { dx in
            parameters.withUnsafeMutableBufferPointer { dParameters in
                let (sink, parameterSink) = (SharedBuffer(dx), SharedBuffer(dParameters))
                forEachChannelPart(channels) { range in
                    gradient.values.withUnsafeBufferPointer { dy in
                        record.input.withUnsafeBufferPointer { input in
                            guard let first = input.baseAddress else { return }
                            for channel in range {
                                let offset = channel * span
                                let statistics = record.statistics[channel]
                                let (dWeight, dBias) = BatchNormKernel.backward(
                                    UnsafeBufferPointer(rebasing: dy[offset..<(offset + span)]),
                                    input: first + offset, mean: statistics.mean,
                                    inverse: statistics.inverse, weight: weight[channel], bias: bias[channel],
                                    relu: relu, inputGradient: sink.base + offset)
                                parameterSink.base[channel] = dWeight
                                parameterSink.base[channels + channel] = dBias
                            }
                        }
                    }
                }
            }
        }
        return (gradient.with(values: dInput), Array(parameters[0..<channels]), Array(parameters[channels...]))
    }

    /// Evaluation-mode BatchNorm with the running statistics, in place, optionally followed by ReLU.
    func batchNorm(
        _ x: inout FeatureMap, weight: [Float], bias: [Float], mean: [Float], variance: [Float], relu: Bool
    ) {
        let span = x.span
        x.values.withUnsafeMutableBufferPointer { values in
            let sink = SharedBuffer(values)
            forEachChannelPart(x.channels) { range in
                for channel in range {
                    let start = sink.base + channel * span
                    BatchNormKernel.normalize(
                        UnsafeBufferPointer(start: start, count: span), mean: mean[channel],
                        inverse: 1 / (variance[channel] + 1e-5).squareRoot(), weight: weight[channel],
                        bias: bias[channel], relu: relu, output: start)
                }
            }
        }
    }

    // MARK: Element-wise

    /// `x = max(x + residual, 0)`: a bottleneck's shortcut and final ReLU.
    func addReLU(_ x: inout FeatureMap, _ residual: FeatureMap) {
        x.values.withUnsafeMutableBufferPointer { values in
            let sink = SharedBuffer(values)
            forEachRange(values.count) { range in
                residual.values.withUnsafeBufferPointer { r in
                    ActivationKernel.addReLU(
                        UnsafeMutableBufferPointer(start: sink.base + range.lowerBound, count: range.count),
                        adding: UnsafeBufferPointer(rebasing: r[range]))
                }
            }
        }
    }

    /// ReLU's backward pass in place, given its forward output.
    func reluBackward(_ gradient: inout FeatureMap, output: [Float]) {
        gradient.values.withUnsafeMutableBufferPointer { values in
            let sink = SharedBuffer(values)
            forEachRange(values.count) { range in
                output.withUnsafeBufferPointer { y in
                    ActivationKernel.reluBackward(
                        UnsafeMutableBufferPointer(start: sink.base + range.lowerBound, count: range.count),
                        output: UnsafeBufferPointer(rebasing: y[range]))
                }
            }
        }
    }

    /// AvgPool2d(size): the mean of each non-overlapping `size × size` window (floor of the sides).
    func averagePool(_ x: FeatureMap, size: Int) -> FeatureMap {
        let (height, width) = (x.height / size, x.width / size)
        var output = Self.uninitialized(x.channels * x.count * height * width)
        let inverse = 1 / Float(size * size)
        output.withUnsafeMutableBufferPointer { out in
            let sink = SharedBuffer(out)
            forEachRange(x.channels * x.count) { maps in
                x.values.withUnsafeBufferPointer { input in
                    Self.forEachWindow(maps, inputHeight: x.height, inputWidth: x.width, size: size) { at, window in
                        var sum: Float = 0
                        for ry in 0..<size {
                            for rx in 0..<size { sum += input[window + ry * x.width + rx] }
                        }
                        sink.base[at] = sum * inverse
                    }
                }
            }
        }
        return FeatureMap(values: output, count: x.count, channels: x.channels, height: height, width: width)
    }

    /// The gradient of ``averagePool(_:size:)`` with respect to its `height × width` input.
    func averagePoolBackward(_ gradient: FeatureMap, size: Int, height: Int, width: Int) -> FeatureMap {
        var result = [Float](repeating: 0, count: gradient.channels * gradient.count * height * width)
        let inverse = 1 / Float(size * size)
        result.withUnsafeMutableBufferPointer { out in
            let sink = SharedBuffer(out)
            forEachRange(gradient.channels * gradient.count) { maps in
                gradient.values.withUnsafeBufferPointer { dy in
                    Self.forEachWindow(maps, inputHeight: height, inputWidth: width, size: size) { at, window in
                        let g = dy[at] * inverse
                        for ry in 0..<size {
                            for rx in 0..<size { sink.base[window + ry * width + rx] = g }
                        }
                    }
                }
            }
        }
        return FeatureMap(
            values: result, count: gradient.count, channels: gradient.channels, height: height, width: width)
    }

    /// Visits the windows of an average pool over the planes `maps`: `body(output, window)`
    /// with an output value's index and the index of its window's first input value (the
    /// window's rows are `inputWidth` apart).
    @inline(__always) private static func forEachWindow(
        _ maps: Range<Int>, inputHeight: Int, inputWidth: Int, size: Int, _ body: (Int, Int) -> Void
    ) {
        let (height, width) = (inputHeight / size, inputWidth / size)
        for map in maps {
            for oy in 0..<height {
                for ox in 0..<width {
                    body(
                        (map * height + oy) * width + ox, map * inputHeight * inputWidth + (oy * inputWidth + ox) * size
                    )
                }
            }
        }
    }

    // MARK: Parts

    /// Runs `body(part)` for `count` parts, up to ``width`` at once with one OpenBLAS thread each.
    private func run(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard width > 1, count > 1 else {
            for part in 0..<count { body(part) }
            return
        }
        BLASThreads.withCount(1) { BoundedFanOut.forEachBlocking(count, width: width, body) }
    }

    private func forEachChannelPart(_ channels: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let parts = BoundedFanOut.contiguousParts(channels, width)
        run(parts.count) { body(parts[$0]) }
    }

    /// Element-wise work in at most ``width`` parts, none below 16K values.
    private func forEachRange(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let parts = BoundedFanOut.contiguousParts(count, min(width, count / 16_384))
        run(parts.count) { body(parts[$0]) }
    }

    /// A `Float` array whose every value the caller writes before reading.
    static func uninitialized(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
