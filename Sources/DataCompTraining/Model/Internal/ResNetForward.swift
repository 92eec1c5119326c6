internal import DataCompKernels

/// Activations of a convolutional tower: `count` images of `channels × height × width`, in NCHW order.
struct FeatureMap {
    var values: [Float]
    var count: Int
    var channels: Int
    var height: Int
    var width: Int

    var plane: Int { height * width }
}

/// The forward pass of OpenCLIP's ModifiedResNet image tower (`modified_resnet.py`).
///
/// A three-conv stem, anti-aliased bottleneck stages and an attention-pool head. BatchNorm uses the running
/// statistics (evaluation) or the batch's, biased variance (training; the running statistics are
/// then not updated here).
struct ResNetForward {
    let parameters: CLIPParameters
    let configuration: CLIPConfiguration
    let training: Bool

    func run(pixels: UnsafeBufferPointer<Float>, images range: Range<Int>) -> [Float] {
        let vision = configuration.vision
        let size = vision.imageSize
        let start = range.lowerBound * 3 * size * size
        var x = FeatureMap(
            values: Array(pixels[start..<(start + range.count * 3 * size * size)]), count: range.count, channels: 3,
            height: size, width: size)
        // Stem: three 3×3 convs (the first with stride 2), each with BatchNorm and ReLU, then a 2×2 average pool.
        for (index, stride) in [(1, 2), (2, 1), (3, 1)] {
            x = convolution(x, weight: "visual.conv\(index).weight", kernel: 3, stride: stride, padding: 1)
            batchNorm(&x, name: "visual.bn\(index)")
            relu(&x)
        }
        x = averagePool(x, size: 2)
        // Four stages of bottlenecks; planes width·1, 2, 4, 8 with strides 1, 2, 2, 2.
        var inputChannels = vision.width
        for (stage, blocks) in vision.layers.enumerated() {
            let planes = vision.width << stage
            for block in 0..<blocks {
                let stride = block == 0 && stage > 0 ? 2 : 1
                let prefix = "visual.layer\(stage + 1).\(block)."
                x = bottleneck(x, prefix: prefix, planes: planes, stride: stride, inputChannels: inputChannels)
                inputChannels = planes * 4
            }
        }
        return attentionPool(x)
    }

    private func bottleneck(_ input: FeatureMap, prefix: String, planes: Int, stride: Int, inputChannels: Int)
        -> FeatureMap
    {
        var out = convolution(input, weight: prefix + "conv1.weight", kernel: 1, stride: 1, padding: 0)
        batchNorm(&out, name: prefix + "bn1")
        relu(&out)
        out = convolution(out, weight: prefix + "conv2.weight", kernel: 3, stride: 1, padding: 1)
        batchNorm(&out, name: prefix + "bn2")
        relu(&out)
        if stride > 1 { out = averagePool(out, size: stride) }
        out = convolution(out, weight: prefix + "conv3.weight", kernel: 1, stride: 1, padding: 0)
        batchNorm(&out, name: prefix + "bn3")
        var identity = input
        if stride > 1 || inputChannels != planes * 4 {
            if stride > 1 { identity = averagePool(identity, size: stride) }
            identity = convolution(identity, weight: prefix + "downsample.0.weight", kernel: 1, stride: 1, padding: 0)
            batchNorm(&identity, name: prefix + "downsample.1")
        }
        for index in out.values.indices { out.values[index] = max(out.values[index] + identity.values[index], 0) }
        return out
    }

    /// A bias-free 2-D convolution as one GEMM per image over im2col columns.
    private func convolution(_ input: FeatureMap, weight name: String, kernel: Int, stride: Int, padding: Int)
        -> FeatureMap
    {
        ResNetTape.convolve(input, weights: parameters.values(name), kernel: kernel, stride: stride, padding: padding)
    }

    /// BatchNorm2d (eps 1e-5): running statistics in evaluation, the batch's (biased variance) in training.
    private func batchNorm(_ x: inout FeatureMap, name: String) {
        let weight = parameters.values(name + ".weight")
        let bias = parameters.values(name + ".bias")
        var mean = parameters.values(name + ".running_mean")
        var variance = parameters.values(name + ".running_var")
        if training {
            let n = Double(x.count * x.plane)
            for channel in 0..<x.channels {
                var sum = 0.0
                for image in 0..<x.count {
                    let base = (image * x.channels + channel) * x.plane
                    for i in 0..<x.plane { sum += Double(x.values[base + i]) }
                }
                let m = sum / n
                var squares = 0.0
                for image in 0..<x.count {
                    let base = (image * x.channels + channel) * x.plane
                    for i in 0..<x.plane {
                        let d = Double(x.values[base + i]) - m
                        squares += d * d
                    }
                }
                mean[channel] = Float(m)
                variance[channel] = Float(squares / n)
            }
        }
        for channel in 0..<x.channels {
            let scale = weight[channel] / (variance[channel] + 1e-5).squareRoot()
            let shift = bias[channel] - mean[channel] * scale
            for image in 0..<x.count {
                let base = (image * x.channels + channel) * x.plane
                for i in 0..<x.plane { x.values[base + i] = x.values[base + i] * scale + shift }
            }
        }
    }

    private func relu(_ x: inout FeatureMap) {
        for index in x.values.indices where x.values[index] < 0 { x.values[index] = 0 }
    }

    private func averagePool(_ x: FeatureMap, size: Int) -> FeatureMap {
        ResNetTape.averagePooled(x, size: size)
    }

    private func attentionPool(_ x: FeatureMap) -> [Float] {
        ResNetTape.attentionPool(x, parameters: parameters, configuration: configuration).output
    }
}
