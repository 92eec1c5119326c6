import Foundation

extension CLIPParameters {
    /// Fresh parameters drawn as OpenCLIP initialises a model (openclip.md §2.7): the vision
    /// tower with PyTorch's layer defaults (Kaiming-uniform weights and biases `U(±1/√fan_in)`,
    /// Xavier-uniform `in_proj_weight`, zero attention biases, `s·N(0, 1)` with `s = width^-½`
    /// for the class and positional embeddings and `proj`), the text tower with
    /// `TextTransformer.init_parameters` (normal weights with its standard deviations), layer
    /// norms at 1 and 0, and `logit_scale = ln(1/0.07)`.
    ///
    /// The values follow the same distributions as OpenCLIP's, not the same random stream.
    ///
    /// - Parameters:
    ///   - configuration: The model config (ViT image tower).
    ///   - seed: The seed; the same seed gives the same parameters.
    /// A ModifiedResNet tower follows `ModifiedResNet.init_parameters`: convolutions and linear
    /// biases with PyTorch's defaults, the attention pool's projections `N(0, C^-½)`, its
    /// positional embedding `N(0, 1)/√C`, BatchNorm at weight 1 and bias 0 with running statistics
    /// 0 and 1, and each bottleneck's `bn3.weight` at 0.
    ///
    /// - Throws: `DataCompError` if the drawn values do not fit the config (not expected).
    public init(initializingFor configuration: CLIPConfiguration, seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        func uniform(_ count: Int, bound: Float) -> [Float] {
            (0..<count).map { _ in Float.random(in: -bound...bound, using: &random) }
        }
        func normal(_ count: Int, std: Float) -> [Float] {
            var values: [Float] = []
            values.reserveCapacity(count + 1)
            while values.count < count {
                // Box-Muller: two normal values from two uniform ones.
                let u1 = Float.random(in: Float.leastNormalMagnitude..<1, using: &random)
                let u2 = Float.random(in: 0..<1, using: &random)
                let radius = (-2 * logf(u1)).squareRoot()
                values.append(radius * cosf(2 * .pi * u2) * std)
                values.append(radius * sinf(2 * .pi * u2) * std)
            }
            return Array(values.prefix(count))
        }
        let text = configuration.text
        let visionWidth = configuration.vision.width
        let textHidden = Int(Double(text.width) * text.mlpRatio)
        let visionHidden = Int(Double(visionWidth) * configuration.vision.mlpRatio)
        let textScale = 1 / Float(text.width).squareRoot()
        let textProjectionStd = textScale * 1 / Float(2 * text.layers).squareRoot()
        var tensors: [String: Tensor] = [:]
        for (name, shape) in Self.expectedShapes(for: configuration) {
            let count = shape.reduce(1, *)
            let fanIn = shape.count >= 2 ? shape.dropFirst().reduce(1, *) : max(shape.first ?? 1, 1)
            let isVision = name.hasPrefix("visual.")
            let values: [Float]
            if configuration.vision.isModifiedResNet, isVision {
                let channels = configuration.vision.width * 32
                if name.hasSuffix(".running_var") {
                    values = [Float](repeating: 1, count: count)
                } else if name.hasSuffix(".running_mean") || name.hasSuffix("bn3.bias") {
                    values = [Float](repeating: 0, count: count)
                } else if name.hasSuffix("bn3.weight") && name.contains(".layer") {
                    values = [Float](repeating: 0, count: count)
                } else if name.contains("bn") || name.contains("downsample.1") {
                    values = [Float](repeating: name.hasSuffix(".weight") ? 1 : 0, count: count)
                } else if name == "visual.attnpool.positional_embedding" {
                    values = normal(count, std: 1 / Float(channels).squareRoot())
                } else if name.hasPrefix("visual.attnpool.") && name.hasSuffix(".weight") {
                    values = normal(count, std: 1 / Float(channels).squareRoot())
                } else if name.hasPrefix("visual.attnpool.") {
                    values = uniform(count, bound: 1 / Float(channels).squareRoot())
                } else {
                    values = uniform(count, bound: 1 / Float(fanIn).squareRoot())
                }
                if !shape.isEmpty { tensors[name] = Tensor(shape: shape, scalars: values) }
                continue
            }
            switch name {
            case "logit_scale": values = [logf(1 / 0.07)]
            case "token_embedding.weight": values = normal(count, std: 0.02)
            case "positional_embedding": values = normal(count, std: 0.01)
            case "text_projection": values = normal(count, std: textScale)
            case "visual.class_embedding", "visual.positional_embedding", "visual.proj":
                values = normal(count, std: 1 / Float(visionWidth).squareRoot())
            default:
                if name.hasSuffix("ln_1.weight") || name.hasSuffix("ln_2.weight") || name.hasSuffix("ln_pre.weight")
                    || name.hasSuffix("ln_post.weight") || name == "ln_final.weight"
                {
                    values = [Float](repeating: 1, count: count)
                } else if name.hasSuffix(".bias") && (name.contains("ln_") || name.contains("attn.")) {
                    values = [Float](repeating: 0, count: count)
                } else if isVision && name.hasSuffix("attn.in_proj_weight") {
                    values = uniform(count, bound: (6 / Float(shape[0] + shape[1])).squareRoot())
                } else if isVision && name.hasSuffix(".bias") {
                    // A Linear bias: U(±1/√fan_in) of its layer.
                    let layerFanIn = name.hasSuffix("mlp.c_proj.bias") ? visionHidden : visionWidth
                    values = uniform(count, bound: 1 / Float(layerFanIn).squareRoot())
                } else if isVision {
                    values = uniform(count, bound: 1 / Float(fanIn).squareRoot())
                } else if name.hasSuffix("attn.in_proj_weight") {
                    values = normal(count, std: textScale)
                } else if name.hasSuffix("attn.out_proj.weight") || name.hasSuffix("mlp.c_proj.weight") {
                    values = normal(count, std: textProjectionStd)
                } else if name.hasSuffix("mlp.c_fc.weight") {
                    values = normal(count, std: 1 / Float(2 * text.width).squareRoot())
                } else {
                    // Text MLP biases keep the Linear default U(±1/√fan_in).
                    let layerFanIn = name.hasSuffix("mlp.c_proj.bias") ? textHidden : text.width
                    values = uniform(count, bound: 1 / Float(layerFanIn).squareRoot())
                }
            }
            tensors[name] = Tensor(shape: shape, scalars: values)
        }
        try self.init(tensors: tensors, configuration: configuration)
    }

    /// Writes the parameters as a safetensors file with OpenCLIP's names, which OpenCLIP loads
    /// with `load_state_dict(strict=True)`.
    ///
    /// - Parameter path: The destination, written atomically.
    /// - Throws: `DataCompError` with code `io`.
    public func write(to path: String) throws {
        try SafetensorsFile.write(float32: namedTensors(prefix: ""), int64: namedCounters(prefix: ""), to: path)
    }

    /// The float tensors by name (with a prefix), for writing without copies.
    func namedTensors(prefix: String) -> [(name: String, tensor: Tensor)] {
        names.compactMap { name in counters[name] == nil ? self[name].map { (prefix + name, $0) } : nil }
    }

    /// BatchNorm's counters as scalar int64 tensors by name (with a prefix).
    func namedCounters(prefix: String) -> [(name: String, values: [Int64], shape: [Int])] {
        names.compactMap { name in counters[name].map { (prefix + name, [$0], []) } }
    }
}
