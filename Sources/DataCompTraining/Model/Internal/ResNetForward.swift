internal import DataCompKernels

/// The forward pass of OpenCLIP's ModifiedResNet image tower (`modified_resnet.py`).
///
/// A three-conv stem, anti-aliased bottleneck stages and an attention-pool head. BatchNorm uses the running
/// statistics (evaluation) or the batch's, biased variance (training; the running statistics are
/// then not updated here).
struct ResNetForward {
    let parameters: CLIPParameters
    let configuration: CLIPConfiguration
    let training: Bool
    /// How many parts each layer runs at once.
    var layers = ResNetLayers(width: 1)

    func run(pixels: UnsafeBufferPointer<Float>, images range: Range<Int>) -> [Float] {
        let vision = configuration.vision
        var x = FeatureMap(nchw: pixels, images: range, channels: 3, size: vision.imageSize)
        // Stem: three 3×3 convs (the first with stride 2), each with BatchNorm and ReLU, then a 2×2 average pool.
        for (index, stride) in [(1, 2), (2, 1), (3, 1)] {
            x = convolution(x, weight: "visual.conv\(index).weight", kernel: 3, stride: stride, padding: 1)
            batchNorm(&x, name: "visual.bn\(index)", relu: true)
        }
        x = layers.averagePool(x, size: 2)
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
        return ResNetTape.attentionPool(x, parameters: parameters, configuration: configuration).output
    }

    private func bottleneck(_ input: FeatureMap, prefix: String, planes: Int, stride: Int, inputChannels: Int)
        -> FeatureMap
    {
        var out = convolution(input, weight: prefix + "conv1.weight", kernel: 1, stride: 1, padding: 0)
        batchNorm(&out, name: prefix + "bn1", relu: true)
        out = convolution(out, weight: prefix + "conv2.weight", kernel: 3, stride: 1, padding: 1)
        batchNorm(&out, name: prefix + "bn2", relu: true)
        if stride > 1 { out = layers.averagePool(out, size: stride) }
        out = convolution(out, weight: prefix + "conv3.weight", kernel: 1, stride: 1, padding: 0)
        batchNorm(&out, name: prefix + "bn3", relu: false)
        var identity = input
        if stride > 1 || inputChannels != planes * 4 {
            if stride > 1 { identity = layers.averagePool(identity, size: stride) }
            identity = convolution(identity, weight: prefix + "downsample.0.weight", kernel: 1, stride: 1, padding: 0)
            batchNorm(&identity, name: prefix + "downsample.1", relu: false)
        }
        layers.addReLU(&out, identity)
        return out
    }

    /// A bias-free 2-D convolution lowered to matrix products.
    private func convolution(_ input: FeatureMap, weight name: String, kernel: Int, stride: Int, padding: Int)
        -> FeatureMap
    {
        layers.convolve(input, weights: parameters.values(name), kernel: kernel, stride: stride, padding: padding)
    }

    /// BatchNorm2d (eps 1e-5), optionally followed by ReLU: running statistics in evaluation,
    /// the batch's (biased variance) in training (the running statistics are then not updated here).
    private func batchNorm(_ x: inout FeatureMap, name: String, relu: Bool) {
        let weight = parameters.values(name + ".weight")
        let bias = parameters.values(name + ".bias")
        if training {
            x = layers.batchNorm(x, weight: weight, bias: bias, relu: relu).0
        } else {
            layers.batchNorm(
                &x, weight: weight, bias: bias, mean: parameters.values(name + ".running_mean"),
                variance: parameters.values(name + ".running_var"), relu: relu)
        }
    }
}
