internal import DataCompKernels
import Foundation

/// OpenCLIP's ModifiedResNet image tower in training mode with the activations kept for a
/// backward pass: BatchNorm normalises with the batch's statistics (biased variance) and the
/// updated running statistics (momentum 0.1, unbiased variance) are reported, as PyTorch's
/// `BatchNorm2d` does in `train()` mode.
struct ResNetTape {
    /// One recorded operation, replayed backwards.
    private enum Operation {
        case convolution(name: String, input: FeatureMap, kernel: Int, padding: Int, stride: Int)
        case batchNorm(name: String, normalized: [Float], inverse: [Float], shape: FeatureMap)
        case relu(output: [Float])
        case averagePool(size: Int, input: FeatureMap)
    }

    let parameters: CLIPParameters
    let configuration: CLIPConfiguration
    private var operations: [Operation] = []
    /// Running statistics after this batch (`running_mean`, `running_var`), by parameter name.
    private(set) var runningStatistics: [String: [Float]] = [:]
    /// This batch's statistics by the running buffers' names: the mean under `running_mean`
    /// and the unbiased variance under `running_var`, as PyTorch folds them in.
    private(set) var batchStatistics: [String: [Float]] = [:]
    private var poolCache: PoolCache?

    struct PoolCache {
        var map: FeatureMap
        var sequence: [Float]
        var q: [Float]
        var k: [Float]
        var v: [Float]
        var probabilities: [Float]
        var attended: [Float]
    }

    init(parameters: CLIPParameters, configuration: CLIPConfiguration) {
        self.parameters = parameters
        self.configuration = configuration
    }

    // MARK: Forward

    mutating func forward(_ pixels: Tensor) -> [Float] {
        let size = configuration.vision.imageSize
        var x = FeatureMap(values: pixels.scalars, count: pixels.shape[0], channels: 3, height: size, width: size)
        for (index, stride) in [(1, 2), (2, 1), (3, 1)] {
            x = convolution(x, name: "visual.conv\(index).weight", kernel: 3, stride: stride, padding: 1)
            x = batchNorm(x, name: "visual.bn\(index)")
            x = relu(x)
        }
        x = averagePool(x, size: 2)
        var inputChannels = configuration.vision.width
        for (stage, blocks) in configuration.vision.layers.enumerated() {
            let planes = configuration.vision.width << stage
            for block in 0..<blocks {
                let stride = block == 0 && stage > 0 ? 2 : 1
                let prefix = "visual.layer\(stage + 1).\(block)."
                // The shortcut is recorded first so that backward meets the main branch first.
                var identity = x
                let hasDownsample = stride > 1 || inputChannels != planes * 4
                var out = convolution(x, name: prefix + "conv1.weight", kernel: 1, stride: 1, padding: 0)
                out = relu(batchNorm(out, name: prefix + "bn1"))
                out = convolution(out, name: prefix + "conv2.weight", kernel: 3, stride: 1, padding: 1)
                out = relu(batchNorm(out, name: prefix + "bn2"))
                if stride > 1 { out = averagePool(out, size: stride) }
                out = convolution(out, name: prefix + "conv3.weight", kernel: 1, stride: 1, padding: 0)
                out = batchNorm(out, name: prefix + "bn3")
                let mainCount = operations.count
                if hasDownsample {
                    if stride > 1 { identity = averagePool(identity, size: stride) }
                    identity = convolution(
                        identity, name: prefix + "downsample.0.weight", kernel: 1, stride: 1, padding: 0)
                    identity = batchNorm(identity, name: prefix + "downsample.1")
                }
                let shortcutOperations = Array(operations[mainCount...])
                operations.removeSubrange(mainCount...)
                for index in out.values.indices { out.values[index] += identity.values[index] }
                out = relu(out)
                blockRecords.append(
                    BlockRecord(
                        operationsEnd: operations.count, shortcut: shortcutOperations, hasDownsample: hasDownsample))
                _ = identity
                x = out
                inputChannels = planes * 4
            }
        }
        return attentionPool(x)
    }

    private struct BlockRecord {
        /// The index after the block's final ReLU in `operations`.
        var operationsEnd: Int
        /// The shortcut's operations (average pool, conv, BatchNorm), replayed separately.
        var shortcut: [Operation]
        var hasDownsample: Bool
    }

    private var blockRecords: [BlockRecord] = []

    private mutating func convolution(_ input: FeatureMap, name: String, kernel: Int, stride: Int, padding: Int)
        -> FeatureMap
    {
        operations.append(.convolution(name: name, input: input, kernel: kernel, padding: padding, stride: stride))
        return Self.convolve(input, weights: parameters.values(name), kernel: kernel, stride: stride, padding: padding)
    }

    private mutating func batchNorm(_ x: FeatureMap, name: String) -> FeatureMap {
        let weight = parameters.values(name + ".weight")
        let bias = parameters.values(name + ".bias")
        var runningMean = parameters.values(name + ".running_mean")
        var runningVariance = parameters.values(name + ".running_var")
        var batchMean = [Float](repeating: 0, count: x.channels)
        var batchVariance = [Float](repeating: 0, count: x.channels)
        let n = x.count * x.plane
        var normalized = [Float](repeating: 0, count: x.values.count)
        var inverse = [Float](repeating: 0, count: x.channels)
        var output = x
        for channel in 0..<x.channels {
            var sum = 0.0
            for image in 0..<x.count {
                let base = (image * x.channels + channel) * x.plane
                for i in 0..<x.plane { sum += Double(x.values[base + i]) }
            }
            let mean = sum / Double(n)
            var squares = 0.0
            for image in 0..<x.count {
                let base = (image * x.channels + channel) * x.plane
                for i in 0..<x.plane {
                    let d = Double(x.values[base + i]) - mean
                    squares += d * d
                }
            }
            let variance = squares / Double(n)
            let r = Float(1 / (variance + 1e-5).squareRoot())
            inverse[channel] = r
            for image in 0..<x.count {
                let base = (image * x.channels + channel) * x.plane
                for i in 0..<x.plane {
                    let value = (x.values[base + i] - Float(mean)) * r
                    normalized[base + i] = value
                    output.values[base + i] = value * weight[channel] + bias[channel]
                }
            }
            batchMean[channel] = Float(mean)
            batchVariance[channel] = Float(squares / Double(max(n - 1, 1)))
            runningMean[channel] = 0.9 * runningMean[channel] + 0.1 * batchMean[channel]
            runningVariance[channel] = 0.9 * runningVariance[channel] + 0.1 * batchVariance[channel]
        }
        runningStatistics[name + ".running_mean"] = runningMean
        runningStatistics[name + ".running_var"] = runningVariance
        batchStatistics[name + ".running_mean"] = batchMean
        batchStatistics[name + ".running_var"] = batchVariance
        operations.append(.batchNorm(name: name, normalized: normalized, inverse: inverse, shape: x))
        return output
    }

    private mutating func relu(_ x: FeatureMap) -> FeatureMap {
        var output = x
        for index in output.values.indices where output.values[index] < 0 { output.values[index] = 0 }
        operations.append(.relu(output: output.values))
        return output
    }

    private mutating func averagePool(_ x: FeatureMap, size: Int) -> FeatureMap {
        operations.append(.averagePool(size: size, input: x))
        return Self.averagePooled(x, size: size)
    }

    private mutating func attentionPool(_ x: FeatureMap) -> [Float] {
        let (output, cache) = Self.attentionPool(x, parameters: parameters, configuration: configuration)
        poolCache = cache
        return output
    }

    // MARK: Shared with the inference path

    /// AvgPool2d(size): the mean of each non-overlapping `size × size` window (floor of the sides).
    static func averagePooled(_ x: FeatureMap, size: Int) -> FeatureMap {
        let height = x.height / size
        let width = x.width / size
        var output = FeatureMap(
            values: [Float](repeating: 0, count: x.count * x.channels * height * width), count: x.count,
            channels: x.channels, height: height, width: width)
        let inverse = 1 / Float(size * size)
        for map in 0..<(x.count * x.channels) {
            for oy in 0..<height {
                for ox in 0..<width {
                    var sum: Float = 0
                    for dy in 0..<size {
                        for dx in 0..<size {
                            sum += x.values[map * x.plane + (oy * size + dy) * x.width + ox * size + dx]
                        }
                    }
                    output.values[map * output.plane + oy * width + ox] = sum * inverse
                }
            }
        }
        return output
    }

    /// AttentionPool2d: the mean token prepended to the flattened map, positional embedding added,
    /// multi-head attention of the mean token over all tokens, then `c_proj`; with what backward needs.
    static func attentionPool(
        _ x: FeatureMap, parameters: CLIPParameters, configuration: CLIPConfiguration
    ) -> (output: [Float], cache: PoolCache) {
        let channels = x.channels
        let tokens = x.plane + 1
        let heads = configuration.vision.heads
        let h = channels / heads
        let positions = parameters.values("visual.attnpool.positional_embedding")
        var sequence = [Float](repeating: 0, count: x.count * tokens * channels)
        for image in 0..<x.count {
            for channel in 0..<channels {
                let base = (image * channels + channel) * x.plane
                var sum: Float = 0
                for i in 0..<x.plane { sum += x.values[base + i] }
                sequence[image * tokens * channels + channel] = sum / Float(x.plane) + positions[channel]
                for i in 0..<x.plane {
                    sequence[(image * tokens + i + 1) * channels + channel] =
                        x.values[base + i] + positions[(i + 1) * channels + channel]
                }
            }
        }
        let p = "visual.attnpool."
        var first = [Float](repeating: 0, count: x.count * channels)
        for image in 0..<x.count {
            for channel in 0..<channels {
                first[image * channels + channel] = sequence[image * tokens * channels + channel]
            }
        }
        var q = [Float](repeating: 0, count: x.count * channels)
        var k = [Float](repeating: 0, count: x.count * tokens * channels)
        var v = k
        TransformerForward.linear(
            first, rows: x.count, inputs: channels, weight: parameters.values(p + "q_proj.weight"),
            bias: parameters.values(p + "q_proj.bias"), outputs: channels, into: &q)
        TransformerForward.linear(
            sequence, rows: x.count * tokens, inputs: channels, weight: parameters.values(p + "k_proj.weight"),
            bias: parameters.values(p + "k_proj.bias"), outputs: channels, into: &k)
        TransformerForward.linear(
            sequence, rows: x.count * tokens, inputs: channels, weight: parameters.values(p + "v_proj.weight"),
            bias: parameters.values(p + "v_proj.bias"), outputs: channels, into: &v)
        let scale = 1 / Float(h).squareRoot()
        var probabilities = [Float](repeating: 0, count: x.count * heads * tokens)
        var attended = [Float](repeating: 0, count: x.count * channels)
        for image in 0..<x.count {
            for head in 0..<heads {
                let base = (image * heads + head) * tokens
                for token in 0..<tokens {
                    var dot: Float = 0
                    for d in 0..<h {
                        dot +=
                            q[image * channels + head * h + d] * k[(image * tokens + token) * channels + head * h + d]
                    }
                    probabilities[base + token] = dot * scale
                }
                probabilities.withUnsafeMutableBufferPointer {
                    SoftmaxKernel.rows(
                        UnsafeMutableBufferPointer(rebasing: $0[base..<(base + tokens)]), rows: 1, width: tokens)
                }
                for d in 0..<h {
                    var sum: Float = 0
                    for token in 0..<tokens {
                        sum += probabilities[base + token] * v[(image * tokens + token) * channels + head * h + d]
                    }
                    attended[image * channels + head * h + d] = sum
                }
            }
        }
        var output = [Float](repeating: 0, count: x.count * configuration.embedDimension)
        TransformerForward.linear(
            attended, rows: x.count, inputs: channels, weight: parameters.values(p + "c_proj.weight"),
            bias: parameters.values(p + "c_proj.bias"), outputs: configuration.embedDimension, into: &output)
        return (
            output,
            PoolCache(map: x, sequence: sequence, q: q, k: k, v: v, probabilities: probabilities, attended: attended)
        )
    }

    // MARK: Backward

    func backward(_ dFeatures: [Float], into gradients: inout GradientStore) {
        guard let cache = poolCache else { return }
        var gradient = attentionPoolBackward(dFeatures, cache: cache, gradients: &gradients)
        // Replay the operations backwards; at each block's end, split the gradient into the main
        // branch and the shortcut, and add them at the block's input.
        var index = operations.count
        var blocks = blockRecords
        while index > 0 {
            if let block = blocks.last, block.operationsEnd == index {
                blocks.removeLast()
                // The final ReLU.
                index -= 1
                gradient = backward(operations[index], gradient, gradients: &gradients)
                var shortcut = gradient
                for operation in block.shortcut.reversed() {
                    shortcut = backward(operation, shortcut, gradients: &gradients)
                }
                // The main branch: conv1 … bn3 (8 or 9 operations) back to the block's input.
                let mainOperations = blockStart(before: index, blocks: blocks)
                while index > mainOperations {
                    index -= 1
                    gradient = backward(operations[index], gradient, gradients: &gradients)
                }
                for i in gradient.values.indices { gradient.values[i] += shortcut.values[i] }
                continue
            }
            index -= 1
            gradient = backward(operations[index], gradient, gradients: &gradients)
        }
    }

    /// Where the main branch of the block ending at `end` (exclusive of its ReLU) starts.
    private func blockStart(before end: Int, blocks: [BlockRecord]) -> Int {
        // The previous block's end, or the stem's last operation (its average pool) + 1.
        if let previous = blocks.last { return previous.operationsEnd }
        // Stem: 3 × (conv, bn, relu) + average pool = 10 operations.
        return 10
    }

    private func backward(_ operation: Operation, _ gradient: FeatureMap, gradients: inout GradientStore) -> FeatureMap
    {
        switch operation {
        case .relu(let output):
            var result = gradient
            for index in result.values.indices where output[index] <= 0 { result.values[index] = 0 }
            return result
        case .averagePool(let size, let input):
            var result = FeatureMap(
                values: [Float](repeating: 0, count: input.values.count), count: input.count, channels: input.channels,
                height: input.height, width: input.width)
            let inverse = 1 / Float(size * size)
            for map in 0..<(input.count * input.channels) {
                for oy in 0..<gradient.height {
                    for ox in 0..<gradient.width {
                        let g = gradient.values[map * gradient.plane + oy * gradient.width + ox] * inverse
                        for dy in 0..<size {
                            for dx in 0..<size {
                                result.values[map * input.plane + (oy * size + dy) * input.width + ox * size + dx] = g
                            }
                        }
                    }
                }
            }
            return result
        case .batchNorm(let name, let normalized, let inverse, let shape):
            let weight = parameters.values(name + ".weight")
            var result = gradient
            let n = Float(shape.count * shape.plane)
            var dWeight = [Float](repeating: 0, count: shape.channels)
            var dBias = [Float](repeating: 0, count: shape.channels)
            for channel in 0..<shape.channels {
                var sumDy: Float = 0
                var sumDyX: Float = 0
                for image in 0..<shape.count {
                    let base = (image * shape.channels + channel) * shape.plane
                    for i in 0..<shape.plane {
                        sumDy += gradient.values[base + i]
                        sumDyX += gradient.values[base + i] * normalized[base + i]
                    }
                }
                dWeight[channel] = sumDyX
                dBias[channel] = sumDy
                let factor = weight[channel] * inverse[channel] / n
                for image in 0..<shape.count {
                    let base = (image * shape.channels + channel) * shape.plane
                    for i in 0..<shape.plane {
                        result.values[base + i] =
                            factor * (n * gradient.values[base + i] - sumDy - normalized[base + i] * sumDyX)
                    }
                }
            }
            gradients.add(name + ".weight", count: shape.channels) {
                for c in 0..<shape.channels { $0[c] += dWeight[c] }
            }
            gradients.add(name + ".bias", count: shape.channels) { for c in 0..<shape.channels { $0[c] += dBias[c] } }
            return result
        case .convolution(let name, let input, let kernel, let padding, let stride):
            return convolutionBackward(
                gradient, input: input, name: name, kernel: kernel, padding: padding, stride: stride,
                gradients: &gradients)
        }
    }

    private func convolutionBackward(
        _ gradient: FeatureMap, input: FeatureMap, name: String, kernel: Int, padding: Int, stride: Int,
        gradients: inout GradientStore
    ) -> FeatureMap {
        let weights = parameters.values(name)
        let rows = input.channels * kernel * kernel
        let columns = gradient.plane
        let outputChannels = gradient.channels
        var result = FeatureMap(
            values: [Float](repeating: 0, count: input.values.count), count: input.count, channels: input.channels,
            height: input.height, width: input.width)
        var dWeight = [Float](repeating: 0, count: outputChannels * rows)
        for group in Self.imageGroups(count: input.count, rows: rows, columns: columns) {
            let wide = group.count * columns
            var patches = [Float](repeating: 0, count: rows * wide)
            var dPatches = [Float](repeating: 0, count: rows * wide)
            var dBlock = [Float](repeating: 0, count: outputChannels * wide)
            for (slot, image) in group.enumerated() {
                Self.im2col(
                    input, image: image, kernel: kernel, stride: stride, padding: padding, height: gradient.height,
                    width: gradient.width, into: &patches, leadingDimension: wide, columnOffset: slot * columns)
            }
            gradient.values.withUnsafeBufferPointer { source in
                dBlock.withUnsafeMutableBufferPointer { target in
                    for (slot, image) in group.enumerated() {
                        for channel in 0..<outputChannels {
                            let from = (image * outputChannels + channel) * columns
                            let to = channel * wide + slot * columns
                            for i in 0..<columns { target[to + i] = source[from + i] }
                        }
                    }
                }
            }
            dBlock.withUnsafeBufferPointer { dy in
                patches.withUnsafeBufferPointer { col in
                    dWeight.withUnsafeMutableBufferPointer { dW in
                        // dW += dY·colᵀ over the group's columns.
                        GEMM.multiply(
                            MatrixView(dy, rows: outputChannels, columns: wide),
                            MatrixView(col, rows: rows, columns: wide),
                            into: MutableMatrixView(dW, rows: outputChannels, columns: rows), transposeB: true, beta: 1)
                    }
                }
                weights.withUnsafeBufferPointer { w in
                    dPatches.withUnsafeMutableBufferPointer { dCol in
                        // dcol = Wᵀ·dY
                        GEMM.multiply(
                            MatrixView(w, rows: outputChannels, columns: rows),
                            MatrixView(dy, rows: outputChannels, columns: wide),
                            into: MutableMatrixView(dCol, rows: rows, columns: wide), transposeA: true)
                    }
                }
            }
            for (slot, image) in group.enumerated() {
                Self.col2im(
                    dPatches, into: &result, image: image, kernel: kernel, stride: stride, padding: padding,
                    height: gradient.height, width: gradient.width, leadingDimension: wide, columnOffset: slot * columns
                )
            }
        }
        gradients.add(name, count: dWeight.count) { for i in dWeight.indices { $0[i] += dWeight[i] } }
        return result
    }

    private func attentionPoolBackward(_ dFeatures: [Float], cache: PoolCache, gradients: inout GradientStore)
        -> FeatureMap
    {
        let x = cache.map
        let channels = x.channels
        let tokens = x.plane + 1
        let heads = configuration.vision.heads
        let h = channels / heads
        let scale = 1 / Float(h).squareRoot()
        let p = "visual.attnpool."
        let dAttended = TransformerTape.linearBackward(
            dFeatures, input: cache.attended, rows: x.count, inputs: channels, outputs: configuration.embedDimension,
            weight: parameters.values(p + "c_proj.weight"), weightName: p + "c_proj.weight",
            biasName: p + "c_proj.bias",
            gradients: &gradients)
        var dq = [Float](repeating: 0, count: x.count * channels)
        var dk = [Float](repeating: 0, count: x.count * tokens * channels)
        var dv = dk
        for image in 0..<x.count {
            for head in 0..<heads {
                let base = (image * heads + head) * tokens
                var dP = [Float](repeating: 0, count: tokens)
                for token in 0..<tokens {
                    var dot: Float = 0
                    for d in 0..<h {
                        let g = dAttended[image * channels + head * h + d]
                        dot += g * cache.v[(image * tokens + token) * channels + head * h + d]
                        dv[(image * tokens + token) * channels + head * h + d] += cache.probabilities[base + token] * g
                    }
                    dP[token] = dot
                }
                var weighted: Float = 0
                for token in 0..<tokens { weighted += dP[token] * cache.probabilities[base + token] }
                for token in 0..<tokens {
                    let dS = cache.probabilities[base + token] * (dP[token] - weighted) * scale
                    for d in 0..<h {
                        dq[image * channels + head * h + d] +=
                            dS * cache.k[(image * tokens + token) * channels + head * h + d]
                        dk[(image * tokens + token) * channels + head * h + d] +=
                            dS * cache.q[image * channels + head * h + d]
                    }
                }
            }
        }
        var first = [Float](repeating: 0, count: x.count * channels)
        for image in 0..<x.count {
            for channel in 0..<channels {
                first[image * channels + channel] = cache.sequence[image * tokens * channels + channel]
            }
        }
        let dFirst = TransformerTape.linearBackward(
            dq, input: first, rows: x.count, inputs: channels, outputs: channels,
            weight: parameters.values(p + "q_proj.weight"),
            weightName: p + "q_proj.weight", biasName: p + "q_proj.bias", gradients: &gradients)
        var dSequence = TransformerTape.linearBackward(
            dk, input: cache.sequence, rows: x.count * tokens, inputs: channels, outputs: channels,
            weight: parameters.values(p + "k_proj.weight"), weightName: p + "k_proj.weight",
            biasName: p + "k_proj.bias",
            gradients: &gradients)
        let dFromValues = TransformerTape.linearBackward(
            dv, input: cache.sequence, rows: x.count * tokens, inputs: channels, outputs: channels,
            weight: parameters.values(p + "v_proj.weight"), weightName: p + "v_proj.weight",
            biasName: p + "v_proj.bias",
            gradients: &gradients)
        for index in dSequence.indices { dSequence[index] += dFromValues[index] }
        for image in 0..<x.count {
            for channel in 0..<channels {
                dSequence[image * tokens * channels + channel] += dFirst[image * channels + channel]
            }
        }
        gradients.add(p + "positional_embedding", count: tokens * channels) { d in
            for image in 0..<x.count {
                for index in 0..<(tokens * channels) { d[index] += dSequence[image * tokens * channels + index] }
            }
        }
        var result = FeatureMap(
            values: [Float](repeating: 0, count: x.values.count), count: x.count, channels: channels, height: x.height,
            width: x.width)
        for image in 0..<x.count {
            for channel in 0..<channels {
                let dMean = dSequence[image * tokens * channels + channel] / Float(x.plane)
                let base = (image * channels + channel) * x.plane
                for i in 0..<x.plane {
                    result.values[base + i] = dSequence[(image * tokens + i + 1) * channels + channel] + dMean
                }
            }
        }
        return result
    }

    // MARK: Convolution helpers

    /// im2col of one image into `rows × (height · width)` columns: for each (channel, ky, kx) and
    /// output row, the valid span of output columns reads one strided run of the input row.
    static func im2col(
        _ input: FeatureMap, image: Int, kernel: Int, stride: Int, padding: Int, height: Int, width: Int,
        into patches: inout [Float], leadingDimension: Int? = nil, columnOffset: Int = 0
    ) {
        let columns = leadingDimension ?? height * width
        let inputOffset = image * input.channels * input.plane
        input.values.withUnsafeBufferPointer { source in
            patches.withUnsafeMutableBufferPointer { target in
                for channel in 0..<input.channels {
                    let plane = inputOffset + channel * input.plane
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            let row = ((channel * kernel + ky) * kernel + kx) * columns + columnOffset
                            // Output columns ox with 0 <= ox·stride + kx − padding < input.width.
                            let first = max(0, (padding - kx + stride - 1) / stride)
                            let reach = input.width - 1 + padding - kx
                            let last = reach < 0 ? 0 : min(width, reach / stride + 1)
                            for oy in 0..<height {
                                let iy = oy * stride + ky - padding
                                let out = row + oy * width
                                guard iy >= 0 && iy < input.height, first < last else {
                                    for ox in 0..<width { target[out + ox] = 0 }
                                    continue
                                }
                                for ox in 0..<first { target[out + ox] = 0 }
                                var ix = plane + iy * input.width + first * stride + kx - padding
                                for ox in first..<last {
                                    target[out + ox] = source[ix]
                                    ix += stride
                                }
                                for ox in last..<width { target[out + ox] = 0 }
                            }
                        }
                    }
                }
            }
        }
    }

    /// col2im: adds column gradients back onto one image of `result` (the inverse scatter of ``im2col``).
    static func col2im(
        _ columnsGradient: [Float], into result: inout FeatureMap, image: Int, kernel: Int, stride: Int, padding: Int,
        height: Int, width: Int, leadingDimension: Int? = nil, columnOffset: Int = 0
    ) {
        let columns = leadingDimension ?? height * width
        let inputOffset = image * result.channels * result.plane
        let (inputHeight, inputWidth, plane) = (result.height, result.width, result.plane)
        columnsGradient.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for channel in 0..<result.channels {
                    let base = inputOffset + channel * plane
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            let row = ((channel * kernel + ky) * kernel + kx) * columns + columnOffset
                            let first = max(0, (padding - kx + stride - 1) / stride)
                            let reach = inputWidth - 1 + padding - kx
                            let last = reach < 0 ? 0 : min(width, reach / stride + 1)
                            guard first < last else { continue }
                            for oy in 0..<height {
                                let iy = oy * stride + ky - padding
                                guard iy >= 0 && iy < inputHeight else { continue }
                                var ix = base + iy * inputWidth + first * stride + kx - padding
                                let out = row + oy * width
                                for ox in first..<last {
                                    target[ix] += source[out + ox]
                                    ix += stride
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Images per convolution GEMM: as many as keep the patch matrix within about 8M values, so
    /// that small feature maps (the miniature models') make one large GEMM instead of many tiny ones.
    static func imageGroups(count: Int, rows: Int, columns: Int) -> [Range<Int>] {
        let per = max(1, min(count, (8 << 20) / max(1, rows * columns)))
        return stride(from: 0, to: count, by: per).map { $0..<min($0 + per, count) }
    }

    /// A bias-free convolution as one GEMM per group of images: `W · [patches of the group]`,
    /// then each image's block moved to its place.
    static func convolve(_ input: FeatureMap, weights: [Float], kernel: Int, stride: Int, padding: Int) -> FeatureMap {
        let outputChannels = weights.count / (input.channels * kernel * kernel)
        let height = (input.height + 2 * padding - kernel) / stride + 1
        let width = (input.width + 2 * padding - kernel) / stride + 1
        let rows = input.channels * kernel * kernel
        let columns = height * width
        var output = FeatureMap(
            values: [Float](repeating: 0, count: input.count * outputChannels * columns), count: input.count,
            channels: outputChannels, height: height, width: width)
        for group in imageGroups(count: input.count, rows: rows, columns: columns) {
            let wide = group.count * columns
            var patches = [Float](repeating: 0, count: rows * wide)
            var block = [Float](repeating: 0, count: outputChannels * wide)
            for (slot, image) in group.enumerated() {
                im2col(
                    input, image: image, kernel: kernel, stride: stride, padding: padding, height: height,
                    width: width, into: &patches, leadingDimension: wide, columnOffset: slot * columns)
            }
            weights.withUnsafeBufferPointer { w in
                patches.withUnsafeBufferPointer { col in
                    block.withUnsafeMutableBufferPointer { out in
                        GEMM.multiply(
                            MatrixView(w, rows: outputChannels, columns: rows),
                            MatrixView(col, rows: rows, columns: wide),
                            into: MutableMatrixView(out, rows: outputChannels, columns: wide))
                    }
                }
            }
            block.withUnsafeBufferPointer { source in
                output.values.withUnsafeMutableBufferPointer { target in
                    for (slot, image) in group.enumerated() {
                        for channel in 0..<outputChannels {
                            let from = channel * wide + slot * columns
                            let to = (image * outputChannels + channel) * columns
                            for i in 0..<columns { target[to + i] = source[from + i] }
                        }
                    }
                }
            }
        }
        return output
    }
}
