import Foundation

/// A CLIP model's parameters by OpenCLIP's `state_dict` names (`visual.conv1.weight`,
/// `transformer.resblocks.0.attn.in_proj_weight`, `logit_scale`, …), in `state_dict()` order.
///
/// Load them from a safetensors file with OpenCLIP's names (``init(contentsOfFile:configuration:)``):
/// every expected name must be present with its shape, so a checkpoint of another model is
/// refused with the first difference named.
public struct CLIPParameters: Sendable {
    /// The names and shapes OpenCLIP's `state_dict()` has for a config, in its order (ViT towers;
    /// ModifiedResNet names follow with the ResNet tower).
    ///
    /// - Parameter configuration: The model config.
    /// - Returns: `(name, shape)` pairs.
    public static func expectedShapes(for configuration: CLIPConfiguration) -> [(name: String, shape: [Int])] {
        let text = configuration.text
        let vision = configuration.vision
        var shapes: [(String, [Int])] = [
            ("positional_embedding", [text.contextLength, text.width]),
            ("text_projection", [text.width, configuration.embedDimension]),
            ("logit_scale", []),
        ]
        if vision.isModifiedResNet {
            shapes += resNetShapes(configuration)
        } else if let patch = vision.patchSize {
            let grid = vision.imageSize / patch
            shapes += [
                ("visual.class_embedding", [vision.width]),
                ("visual.positional_embedding", [grid * grid + 1, vision.width]),
                ("visual.proj", [vision.width, configuration.embedDimension]),
                ("visual.conv1.weight", [vision.width, 3, patch, patch]),
                ("visual.ln_pre.weight", [vision.width]), ("visual.ln_pre.bias", [vision.width]),
            ]
            shapes += blockShapes(
                prefix: "visual.transformer.resblocks", layers: vision.layers[0], width: vision.width,
                hidden: Int(Double(vision.width) * vision.mlpRatio))
            shapes += [("visual.ln_post.weight", [vision.width]), ("visual.ln_post.bias", [vision.width])]
        }
        shapes.append(("token_embedding.weight", [text.vocabularySize, text.width]))
        shapes += blockShapes(
            prefix: "transformer.resblocks", layers: text.layers, width: text.width,
            hidden: Int(Double(text.width) * text.mlpRatio))
        shapes += [("ln_final.weight", [text.width]), ("ln_final.bias", [text.width])]
        return shapes
    }

    /// BatchNorm's entries: affine weight and bias, running statistics, and the step counter
    /// (`num_batches_tracked`, an int64 scalar).
    private static func batchNormShapes(_ name: String, _ channels: Int) -> [(String, [Int])] {
        [
            (name + ".weight", [channels]), (name + ".bias", [channels]), (name + ".running_mean", [channels]),
            (name + ".running_var", [channels]), (name + ".num_batches_tracked", []),
        ]
    }

    /// OpenCLIP's ModifiedResNet tower in `state_dict()` order.
    private static func resNetShapes(_ configuration: CLIPConfiguration) -> [(String, [Int])] {
        let vision = configuration.vision
        let width = vision.width
        var shapes: [(String, [Int])] = []
        for (index, (output, input)) in [(width / 2, 3), (width / 2, width / 2), (width, width / 2)].enumerated() {
            shapes.append(("visual.conv\(index + 1).weight", [output, input, 3, 3]))
            shapes += batchNormShapes("visual.bn\(index + 1)", output)
        }
        var inputChannels = width
        for (stage, blocks) in vision.layers.enumerated() {
            let planes = width << stage
            for block in 0..<blocks {
                let p = "visual.layer\(stage + 1).\(block)."
                shapes.append((p + "conv1.weight", [planes, inputChannels, 1, 1]))
                shapes += batchNormShapes(p + "bn1", planes)
                shapes.append((p + "conv2.weight", [planes, planes, 3, 3]))
                shapes += batchNormShapes(p + "bn2", planes)
                shapes.append((p + "conv3.weight", [planes * 4, planes, 1, 1]))
                shapes += batchNormShapes(p + "bn3", planes * 4)
                let stride = block == 0 && stage > 0 ? 2 : 1
                if stride > 1 || inputChannels != planes * 4 {
                    shapes.append((p + "downsample.0.weight", [planes * 4, inputChannels, 1, 1]))
                    shapes += batchNormShapes(p + "downsample.1", planes * 4)
                }
                inputChannels = planes * 4
            }
        }
        let channels = width * 32
        let grid = vision.imageSize / 32
        shapes.append(("visual.attnpool.positional_embedding", [grid * grid + 1, channels]))
        for projection in ["k_proj", "q_proj", "v_proj"] {
            shapes += [
                ("visual.attnpool.\(projection).weight", [channels, channels]),
                ("visual.attnpool.\(projection).bias", [channels]),
            ]
        }
        shapes += [
            ("visual.attnpool.c_proj.weight", [configuration.embedDimension, channels]),
            ("visual.attnpool.c_proj.bias", [configuration.embedDimension]),
        ]
        return shapes
    }

    private static func blockShapes(prefix: String, layers: Int, width: Int, hidden: Int) -> [(String, [Int])] {
        (0..<layers).flatMap { layer -> [(String, [Int])] in
            let p = "\(prefix).\(layer)."
            return [
                (p + "ln_1.weight", [width]), (p + "ln_1.bias", [width]),
                (p + "attn.in_proj_weight", [3 * width, width]), (p + "attn.in_proj_bias", [3 * width]),
                (p + "attn.out_proj.weight", [width, width]), (p + "attn.out_proj.bias", [width]),
                (p + "ln_2.weight", [width]), (p + "ln_2.bias", [width]),
                (p + "mlp.c_fc.weight", [hidden, width]), (p + "mlp.c_fc.bias", [hidden]),
                (p + "mlp.c_proj.weight", [width, hidden]), (p + "mlp.c_proj.bias", [width]),
            ]
        }
    }

    /// The parameter names in order (BatchNorm's `num_batches_tracked` counters included).
    public private(set) var names: [String]
    /// BatchNorm's step counters (`…num_batches_tracked`), by name.
    public private(set) var counters: [String: Int64]
    private var storage: [String: Tensor]

    /// The parameter of this name, or `nil`.
    public subscript(name: String) -> Tensor? {
        storage[name]
    }

    /// Changes a parameter's values in place (its shape stays).
    ///
    /// - Parameters:
    ///   - name: The parameter's name; unknown names are ignored.
    ///   - body: Changes the values.
    public mutating func update(_ name: String, _ body: (inout [Float]) -> Void) {
        guard let tensor = storage.removeValue(forKey: name) else { return }
        var values = tensor.scalars
        body(&values)
        storage[name] = Tensor(shape: tensor.shape, scalars: values)
    }

    /// Replaces BatchNorm running statistics with those of a training batch and counts the batch
    /// in each BatchNorm's `num_batches_tracked`, as PyTorch's `BatchNorm2d` does in `train()` mode.
    ///
    /// - Parameters:
    ///   - statistics: ``CLIPGradients/runningStatistics`` of the batch.
    ///   - passes: The training-mode passes they fold in
    ///     (``CLIPGradients/runningStatisticsPasses``).
    public mutating func applyRunningStatistics(_ statistics: [String: Tensor], passes: Int = 1) {
        for (name, tensor) in statistics { update(name) { $0 = tensor.scalars } }
        for name in statistics.keys where name.hasSuffix(".running_mean") {
            let counter = String(name.dropLast(".running_mean".count)) + ".num_batches_tracked"
            counters[counter, default: 0] += Int64(passes)
        }
    }

    /// Clamps `logit_scale` to [0, ln 100], as OpenCLIP does after every optimizer step.
    public mutating func clampLogitScale() {
        update("logit_scale") { values in
            for index in values.indices { values[index] = min(max(values[index], 0), logf(100)) }
        }
    }

    /// The values of a parameter that the initializer checked to exist.
    func values(_ name: String) -> [Float] {
        guard let tensor = storage[name] else { preconditionFailure("no parameter \(name)") }
        return tensor.scalars
    }

    /// Creates parameters from tensors, checking them against a config.
    ///
    /// - Parameters:
    ///   - tensors: The tensors by name (extra names are ignored).
    ///   - counters: BatchNorm's `num_batches_tracked` values by name (absent ones are 0).
    ///   - configuration: The model config.
    /// - Throws: `DataCompError` with code `missingMember` or `shapeMismatch` naming the first
    ///   parameter that is absent or has another shape.
    public init(tensors: [String: Tensor], counters: [String: Int64] = [:], configuration: CLIPConfiguration) throws {
        names = []
        storage = [:]
        self.counters = [:]
        for (name, shape) in Self.expectedShapes(for: configuration) {
            if name.hasSuffix(".num_batches_tracked") {
                names.append(name)
                self.counters[name] = counters[name] ?? 0
                continue
            }
            guard var tensor = tensors[name] else {
                throw DataCompError(
                    .missingMember, "the checkpoint has no parameter \(name); it does not belong to this model config")
            }
            if name == "logit_scale", tensor.shape == [1] { tensor = tensor.reshaped([]) }
            guard tensor.shape == shape else {
                throw DataCompError(
                    .shapeMismatch,
                    "parameter \(name) has shape \(tensor.shape) but the model config needs \(shape); the checkpoint belongs to another config"
                )
            }
            names.append(name)
            storage[name] = tensor
        }
    }

    /// Reads OpenCLIP-named parameters from a checkpoint.
    ///
    /// The checkpoint is a `.safetensors` file, or a `torch.save` file (`.pt`, `.pth`, `.bin`) such as OpenCLIP's `epoch_latest.pt`, whose
    /// `state_dict` (or the whole file, when it is a state dict) is read by Core's restricted
    /// pickle reader, which never runs code from the file. A leading `module.` (DDP) is
    /// stripped, as OpenCLIP's loader does.
    ///
    /// - Parameters:
    ///   - path: The checkpoint.
    ///   - configuration: The model config.
    /// - Throws: `DataCompError` naming the file and the first missing or mismatched parameter,
    ///   or what reading the file throws (a disallowed pickle global included).
    public init(contentsOfFile path: String, configuration: CLIPConfiguration) throws {
        let (tensors, counters): ([String: Tensor], [String: Int64]) = try DataCompError.attributing(to: path) {
            path.hasSuffix(".safetensors") ? try Self.readSafetensors(path) : try Self.readTorchCheckpoint(path)
        }
        do {
            try self.init(tensors: tensors, counters: counters, configuration: configuration)
        } catch let error as DataCompError {
            throw error.naming(path)
        }
    }

    private static func strippingModule(_ name: String) -> String {
        name.hasPrefix("module.") ? String(name.dropFirst("module.".count)) : name
    }

    private static func readSafetensors(_ path: String) throws -> ([String: Tensor], [String: Int64]) {
        let file = try SafetensorsFile(path: path)
        var tensors: [String: Tensor] = [:]
        var counters: [String: Int64] = [:]
        for info in file.tensors {
            let name = strippingModule(info.name)
            if name.hasSuffix(".num_batches_tracked"), info.dataType == .int64 {
                counters[name] = try file.int64Values(named: info.name).first ?? 0
            }
            guard info.dataType == .float32 || info.dataType == .float16 || info.dataType == .bfloat16 else {
                continue
            }
            tensors[name] = try file.tensor(named: info.name)
        }
        return (tensors, counters)
    }

    private static func readTorchCheckpoint(_ path: String) throws -> ([String: Tensor], [String: Int64]) {
        let checkpoint = try TorchCheckpoint(contentsOfFile: path)
        let stateDict = checkpoint.root["state_dict"] ?? checkpoint.root
        guard case .dictionary(let entries) = stateDict else {
            throw DataCompError(
                .invalidFormat,
                "the file holds a \(stateDict.kindName), not a state dict or a checkpoint with a state_dict",
                path: path)
        }
        var tensors: [String: Tensor] = [:]
        var counters: [String: Int64] = [:]
        for (key, value) in entries {
            guard let rawName = key.stringValue, let array = value.arrayValue else { continue }
            let name = strippingModule(rawName)
            switch array.dataType {
            case .int64 where name.hasSuffix(".num_batches_tracked"):
                counters[name] = try array.scalars(as: Int64.self).first ?? 0
            case .float32, .float16, .float64:
                tensors[name] = try Tensor(array)
            default:
                continue
            }
        }
        return (tensors, counters)
    }
}
