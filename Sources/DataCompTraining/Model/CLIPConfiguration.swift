import Foundation

/// A CLIP model's shape in OpenCLIP's JSON model-config format (`model_configs/*.json`):
/// `embed_dim`, `quick_gelu`, `vision_cfg`, `text_cfg`.
///
/// Read one from a file with ``init(contentsOfFile:)``, or take a built-in by name with
/// ``named(_:)``: OpenCLIP's `ViT-B-32`, `ViT-B-16`, `ViT-L-14` and `RN50` (and their
/// `-quickgelu` variants), and this package's CPU-sized configs.
///
/// ```swift
/// let config = try CLIPConfiguration.named("ViT-B-32")
/// print(config.vision.width, config.text.layers)   // 768 12
/// ```
public struct CLIPConfiguration: Sendable, Hashable {
    /// The image tower's shape (`vision_cfg`).
    public struct Vision: Sendable, Hashable {
        /// `image_size`: the side of the square input.
        public var imageSize: Int
        /// `layers`: one number for a transformer; four (blocks per stage) for a ModifiedResNet.
        public var layers: [Int]
        /// `width`: the transformer width, or the ResNet's base width.
        public var width: Int
        /// `patch_size` of a transformer (`nil` for a ModifiedResNet).
        public var patchSize: Int?
        /// `head_width`: channels per attention head (64).
        public var headWidth: Int
        /// `mlp_ratio`: the MLP's hidden width over the model width (4).
        public var mlpRatio: Double

        /// Whether the tower is OpenCLIP's ModifiedResNet (a list of four layer counts).
        public var isModifiedResNet: Bool { patchSize == nil }
        /// The number of attention heads (`width / head_width` for a transformer; for a
        /// ModifiedResNet, `width · 32 / head_width` in its attention pool).
        public var heads: Int { isModifiedResNet ? width * 32 / headWidth : width / headWidth }
    }

    /// The text tower's shape (`text_cfg`).
    public struct Text: Sendable, Hashable {
        /// `context_length`: tokens per caption (77).
        public var contextLength: Int
        /// `vocab_size` (49,408).
        public var vocabularySize: Int
        /// `width`.
        public var width: Int
        /// `heads`.
        public var heads: Int
        /// `layers`.
        public var layers: Int
        /// `mlp_ratio` (4).
        public var mlpRatio: Double
    }

    /// `embed_dim`: the size of the shared embedding space.
    public var embedDimension: Int
    /// `quick_gelu`: x·σ(1.702x) instead of the exact-erf GELU.
    public var quickGELU: Bool
    /// The image tower.
    public var vision: Vision
    /// The text tower.
    public var text: Text

    /// Reads a model config from OpenCLIP's JSON.
    ///
    /// - Parameter json: The parsed config (or an `open_clip_config.json`, whose `model_cfg` is used).
    /// - Throws: `DataCompError` with code `invalidFormat` naming a missing or invalid field, or
    ///   `unsupportedFormat` for towers this package does not implement (timm, Hugging Face text).
    public init(json: JSONValue) throws {
        let root = json["model_cfg"] ?? json
        guard let vision = root["vision_cfg"], let text = root["text_cfg"] else {
            throw DataCompError(.invalidFormat, "a CLIP model config needs \"vision_cfg\" and \"text_cfg\"")
        }
        for key in ["timm_model_name", "hf_model_name"] where (vision[key] ?? text[key]).map({ !$0.isNull }) ?? false {
            throw DataCompError(
                .unsupportedFormat, "\(key) towers are not implemented; use a ViT or ModifiedResNet config")
        }
        embedDimension = try Self.integer(root, "embed_dim")
        quickGELU = root["quick_gelu"]?.boolValue ?? false
        let layers: [Int]
        if let count = vision["layers"]?.intValue {
            layers = [count]
        } else if let list = vision["layers"]?.arrayValue?.compactMap(\.intValue), list.count == 4 {
            layers = list
        } else {
            throw DataCompError(.invalidFormat, "vision_cfg.layers must be a number or a list of four numbers")
        }
        let patchSize = vision["patch_size"]?.intValue
        if layers.count == 1, patchSize == nil {
            throw DataCompError(.invalidFormat, "a vision transformer needs vision_cfg.patch_size")
        }
        self.vision = Vision(
            imageSize: try Self.integer(vision, "image_size", default: 224), layers: layers,
            width: try Self.integer(vision, "width", default: 768), patchSize: layers.count == 1 ? patchSize : nil,
            headWidth: try Self.integer(vision, "head_width", default: 64),
            mlpRatio: vision["mlp_ratio"]?.doubleValue ?? 4)
        self.text = Text(
            contextLength: try Self.integer(text, "context_length", default: 77),
            vocabularySize: try Self.integer(text, "vocab_size", default: 49408),
            width: try Self.integer(text, "width", default: 512), heads: try Self.integer(text, "heads", default: 8),
            layers: try Self.integer(text, "layers", default: 12), mlpRatio: text["mlp_ratio"]?.doubleValue ?? 4)
        if self.vision.imageSize % (self.vision.patchSize ?? 32) != 0 {
            throw DataCompError(
                .invalidFormat,
                "vision_cfg.image_size \(self.vision.imageSize) is not a multiple of \(self.vision.patchSize.map { "patch_size \($0)" } ?? "32 (the ModifiedResNet's stride)")"
            )
        }
        let attentionWidth = self.vision.isModifiedResNet ? self.vision.width * 32 : self.vision.width
        if attentionWidth % self.vision.headWidth != 0 || self.text.width % self.text.heads != 0 {
            throw DataCompError(.invalidFormat, "the widths must be multiples of the head widths")
        }
    }

    /// Reads a model config file.
    ///
    /// - Parameter path: An OpenCLIP model-config JSON (or `open_clip_config.json`).
    /// - Throws: `DataCompError` naming the file.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataCompError(.fileNotFound, "no model config here; pass an OpenCLIP model-config JSON", path: path)
        }
        do {
            try self.init(json: try JSONValue(parsing: data))
        } catch let error as DataCompError {
            throw error.naming(path)
        }
    }

    /// A built-in config by name.
    ///
    /// - Parameter name: `ViT-B-32`, `ViT-B-16`, `ViT-L-14`, `RN50` (each also with
    ///   `-quickgelu`), or one of ``builtInNames``.
    /// - Returns: The config.
    /// - Throws: `DataCompError` with code `invalidArgument` listing the names for an unknown one.
    public static func named(_ name: String) throws -> CLIPConfiguration {
        var base = name
        let quick = base.hasSuffix("-quickgelu")
        if quick { base.removeLast("-quickgelu".count) }
        guard let text = builtIn[base] else {
            throw DataCompError(
                .invalidArgument,
                "no built-in model config \"\(name)\"; use one of \(builtInNames.joined(separator: ", ")) or pass a JSON file"
            )
        }
        var config = try CLIPConfiguration(json: try JSONValue(parsing: text))
        if quick { config.quickGELU = true }
        return config
    }

    /// The names ``named(_:)`` accepts (besides the `-quickgelu` variants).
    public static var builtInNames: [String] { builtIn.keys.sorted() }

    /// The config in OpenCLIP's JSON format.
    public var json: JSONValue {
        var visionMembers: [(String, JSONValue)] = [
            ("image_size", .int(vision.imageSize)),
            ("layers", vision.layers.count == 1 ? .int(vision.layers[0]) : .array(vision.layers.map(JSONValue.int))),
            ("width", .int(vision.width)),
        ]
        visionMembers.append(("patch_size", vision.patchSize.map(JSONValue.int) ?? .null))
        visionMembers.append(("head_width", .int(vision.headWidth)))
        visionMembers.append(("mlp_ratio", .double(vision.mlpRatio)))
        return .object([
            ("embed_dim", .int(embedDimension)), ("quick_gelu", .bool(quickGELU)),
            ("vision_cfg", .object(visionMembers)),
            (
                "text_cfg",
                .object([
                    ("context_length", .int(text.contextLength)), ("vocab_size", .int(text.vocabularySize)),
                    ("width", .int(text.width)), ("heads", .int(text.heads)), ("layers", .int(text.layers)),
                    ("mlp_ratio", .double(text.mlpRatio)),
                ])
            ),
        ])
    }

    private static func integer(_ object: JSONValue, _ key: String, default value: Int? = nil) throws -> Int {
        if let number = object[key]?.intValue, number > 0 { return number }
        if object[key] == nil || object[key]?.isNull == true, let value { return value }
        throw DataCompError(.invalidFormat, "\"\(key)\" must be a positive integer")
    }

    /// OpenCLIP 3.3.0's configs (`src/open_clip/model_configs`) and this package's CPU-sized ones.
    private static let builtIn: [String: String] = [
        "ViT-B-32": #"""
        {"embed_dim": 512, "vision_cfg": {"image_size": 224, "layers": 12, "width": 768, "patch_size": 32},
         "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}
        """#,
        "ViT-B-16": #"""
        {"embed_dim": 512, "vision_cfg": {"image_size": 224, "layers": 12, "width": 768, "patch_size": 16},
         "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}
        """#,
        "ViT-L-14": #"""
        {"embed_dim": 768, "vision_cfg": {"image_size": 224, "layers": 24, "width": 1024, "patch_size": 14},
         "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 768, "heads": 12, "layers": 12}}
        """#,
        "RN50": #"""
        {"embed_dim": 1024, "vision_cfg": {"image_size": 224, "layers": [3, 4, 6, 3], "width": 64, "patch_size": null},
         "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}
        """#,
        // mini-world.md's calibration: the miniature DataComp's teacher and students.
        "mini-RN": #"""
        {"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": [1, 1, 1, 1], "width": 16, "head_width": 64},
         "text_cfg": {"context_length": 20, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2}}
        """#,
        // A small ViT for CPU experiments (trains slowly on the miniature world; see mini-world.md).
        "mini-ViT": #"""
        {"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": 2, "width": 64, "patch_size": 8, "head_width": 32},
         "text_cfg": {"context_length": 20, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2}}
        """#,
    ]
}
