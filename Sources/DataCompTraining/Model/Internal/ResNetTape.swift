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
        /// A BatchNorm, with the ReLU after it when `relu`.
        case batchNorm(name: String, record: ResNetLayers.BatchNormRecord, relu: Bool)
        /// An average pool of a `height × width` input.
        case averagePool(size: Int, height: Int, width: Int)
    }

    let parameters: CLIPParameters
    let configuration: CLIPConfiguration
    let layers: ResNetLayers
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

    /// Creates an empty tape.
    ///
    /// - Parameters:
    ///   - parameters: The model's parameters.
    ///   - configuration: Its config.
    ///   - width: How many parts each layer runs at once.
    init(parameters: CLIPParameters, configuration: CLIPConfiguration, width: Int) {
        self.parameters = parameters
        self.configuration = configuration
        self.layers = ResNetLayers(width: width)
    }

    // MARK: Forward

    mutating func forward(_ pixels: Tensor) -> [Float] {
        let size = configuration.vision.imageSize
        var x = pixels.withUnsafeBufferPointer {
            FeatureMap(nchw: $0, images: 0..<pixels.shape[0], channels: 3, size: size)
        }
        for (index, stride) in [(1, 2), (2, 1), (3, 1)] {
            x = convolution(x, name: "visual.conv\(index).weight", kernel: 3, stride: stride, padding: 1)
            x = batchNorm(x, name: "visual.bn\(index)", relu: true)
        }
        x = averagePool(x, size: 2)
        var inputChannels = configuration.vision.width
        for (stage, blocks) in configuration.vision.layers.enumerated() {
            let planes = configuration.vision.width << stage
            for block in 0..<blocks {
                let stride = block == 0 && stage > 0 ? 2 : 1
                let prefix = "visual.layer\(stage + 1).\(block)."
                let start = operations.count
                var out = convolution(x, name: prefix + "conv1.weight", kernel: 1, stride: 1, padding: 0)
                out = batchNorm(out, name: prefix + "bn1", relu: true)
                out = convolution(out, name: prefix + "conv2.weight", kernel: 3, stride: 1, padding: 1)
                out = batchNorm(out, name: prefix + "bn2", relu: true)
                if stride > 1 { out = averagePool(out, size: stride) }
                out = convolution(out, name: prefix + "conv3.weight", kernel: 1, stride: 1, padding: 0)
                out = batchNorm(out, name: prefix + "bn3", relu: false)
                let main = start..<operations.count
                var identity = x
                if stride > 1 || inputChannels != planes * 4 {
                    if stride > 1 { identity = averagePool(identity, size: stride) }
                    identity = convolution(
                        identity, name: prefix + "downsample.0.weight", kernel: 1, stride: 1, padding: 0)
                    identity = batchNorm(identity, name: prefix + "downsample.1", relu: false)
                }
                layers.addReLU(&out, identity)
                blockRecords.append(
                    BlockRecord(main: main, shortcut: main.upperBound..<operations.count, output: out.values))
                x = out
                inputChannels = planes * 4
            }
        }
        return attentionPool(x)
    }

    /// A bottleneck block's place in ``operations``: its main branch, then its shortcut's
    /// operations (empty for an identity shortcut), then the sum's ReLU with `output`.
    private struct BlockRecord {
        var main: Range<Int>
        var shortcut: Range<Int>
        var output: [Float]
    }

    private var blockRecords: [BlockRecord] = []

    private mutating func convolution(_ input: FeatureMap, name: String, kernel: Int, stride: Int, padding: Int)
        -> FeatureMap
    {
        operations.append(.convolution(name: name, input: input, kernel: kernel, padding: padding, stride: stride))
        return layers.convolve(
            input, weights: parameters.values(name), kernel: kernel, stride: stride, padding: padding)
    }

    private mutating func batchNorm(_ x: FeatureMap, name: String, relu: Bool) -> FeatureMap {
        let (output, record) = layers.batchNorm(
            x, weight: parameters.values(name + ".weight"), bias: parameters.values(name + ".bias"), relu: relu)
        var runningMean = parameters.values(name + ".running_mean")
        var runningVariance = parameters.values(name + ".running_var")
        for (channel, statistics) in record.statistics.enumerated() {
            // PyTorch: momentum · batch + (1 − momentum) · running, in Double.
            runningMean[channel] = Float(0.1 * Double(statistics.mean) + 0.9 * Double(runningMean[channel]))
            runningVariance[channel] = Float(
                0.1 * Double(statistics.unbiasedVariance) + 0.9 * Double(runningVariance[channel]))
        }
        runningStatistics[name + ".running_mean"] = runningMean
        runningStatistics[name + ".running_var"] = runningVariance
        batchStatistics[name + ".running_mean"] = record.statistics.map(\.mean)
        batchStatistics[name + ".running_var"] = record.statistics.map(\.unbiasedVariance)
        operations.append(.batchNorm(name: name, record: record, relu: relu))
        return output
    }

    private mutating func averagePool(_ x: FeatureMap, size: Int) -> FeatureMap {
        operations.append(.averagePool(size: size, height: x.height, width: x.width))
        return layers.averagePool(x, size: size)
    }

    private mutating func attentionPool(_ x: FeatureMap) -> [Float] {
        let (output, cache) = Self.attentionPool(x, parameters: parameters, configuration: configuration)
        poolCache = cache
        return output
    }

    // MARK: Shared with the inference path

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
                let base = (channel * x.count + image) * x.plane
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
        // The blocks from the last: the sum's ReLU, then the main branch and the shortcut from
        // the same gradient, added at the block's input; then the stem.
        for block in blockRecords.reversed() {
            layers.reluBackward(&gradient, output: block.output)
            var shortcut = gradient
            for index in block.shortcut.reversed() {
                shortcut = backward(operations[index], shortcut, gradients: &gradients)
            }
            for index in block.main.reversed() {
                gradient = backward(operations[index], gradient, gradients: &gradients)
            }
            gradient.values.withUnsafeMutableBufferPointer { values in
                shortcut.values.withUnsafeBufferPointer { VectorKernels.add($0, into: values) }
            }
        }
        let stem = blockRecords.first?.main.lowerBound ?? operations.count
        for index in (0..<stem).reversed() {
            gradient = backward(operations[index], gradient, gradients: &gradients)
        }
    }

    private func backward(_ operation: Operation, _ gradient: FeatureMap, gradients: inout GradientStore) -> FeatureMap
    {
        switch operation {
        case .averagePool(let size, let height, let width):
            return layers.averagePoolBackward(gradient, size: size, height: height, width: width)
        case .batchNorm(let name, let record, let relu):
            let (dInput, dWeight, dBias) = layers.batchNormBackward(
                gradient, record: record, weight: parameters.values(name + ".weight"),
                bias: parameters.values(name + ".bias"), relu: relu)
            gradients.add(name + ".weight", count: dWeight.count) {
                for c in dWeight.indices { $0[c] += dWeight[c] }
            }
            gradients.add(name + ".bias", count: dBias.count) { for c in dBias.indices { $0[c] += dBias[c] } }
            return dInput
        case .convolution(let name, let input, let kernel, let padding, let stride):
            let (dInput, dWeight) = layers.convolutionBackward(
                gradient, input: input, weights: parameters.values(name), kernel: kernel, stride: stride,
                padding: padding)
            gradients.add(name, count: dWeight.count) { for i in dWeight.indices { $0[i] += dWeight[i] } }
            return dInput
        }
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
                let base = (channel * x.count + image) * x.plane
                for i in 0..<x.plane {
                    result.values[base + i] = dSequence[(image * tokens + i + 1) * channels + channel] + dMean
                }
            }
        }
        return result
    }
}
