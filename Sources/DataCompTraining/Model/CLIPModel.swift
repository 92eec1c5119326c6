internal import DataCompKernels
import Foundation

/// OpenCLIP's CLIP model in Swift: a ViT or ModifiedResNet image tower and the text transformer,
/// with OpenCLIP's parameter names and numerics (fp32, on the CPU through BLAS; convolutions as
/// GEMMs over im2col columns, BatchNorm with running statistics).
///
/// As an `ImageTextEncoder` it returns L2-normalised embeddings, so evaluation and scoring take
/// it like any other encoder; ``imageFeatures(_:)`` and ``textFeatures(tokens:)`` return the
/// unnormalised ones (`encode_image` / `encode_text`).
///
/// ```swift
/// let config = try CLIPConfiguration.named("ViT-B-32")
/// let parameters = try CLIPParameters(contentsOfFile: "open_clip_model.safetensors", configuration: config)
/// let model = try CLIPModel(configuration: config, parameters: parameters, tokenizer: tokenizer)
/// let texts = try model.encodeTexts(["a photo of a cat"])
/// ```
public struct CLIPModel: ImageTextEncoder {
    /// The model config.
    public let configuration: CLIPConfiguration
    /// The parameters.
    public let parameters: CLIPParameters
    /// The tokenizer ``encodeTexts(_:)`` uses (`nil`: only ``textFeatures(tokens:)`` works).
    public let tokenizer: CLIPTokenizer?
    /// How many threads a batch is split over (each part runs on one BLAS thread).
    public let concurrency: ConcurrencyBudget

    /// Creates a model.
    ///
    /// - Parameters:
    ///   - configuration: The model config.
    ///   - parameters: Parameters checked against the config.
    ///   - tokenizer: The tokenizer for captions.
    ///   - concurrency: How many threads a batch is split over.
    /// - Throws: Nothing today; reserved for configs the model cannot run.
    public init(
        configuration: CLIPConfiguration, parameters: CLIPParameters, tokenizer: CLIPTokenizer? = nil,
        concurrency: ConcurrencyBudget = .machine
    ) throws {
        self.configuration = configuration
        self.parameters = parameters
        self.tokenizer = tokenizer
        self.concurrency = concurrency
    }

    /// Runs `body` on parts of a batch of `count` rows in parallel, one BLAS thread per part, and
    /// concatenates the parts' `[rows, embed_dim]` features in order.
    private func splitting(_ count: Int, _ body: @Sendable (Range<Int>) throws -> [Float]) throws -> Tensor {
        let parts = BoundedFanOut.contiguousParts(count, concurrency.width)
        func run() throws -> [[Float]] {
            try BoundedFanOut.mapBlocking(parts.count, width: concurrency.width, makeState: {}) { index, _ in
                try body(parts[index])
            }
        }
        let results = parts.count > 1 ? try BLASThreads.withCount(1) { try run() } : try run()
        return Tensor(shape: [count, configuration.embedDimension], scalars: results.flatMap { $0 })
    }

    /// `embed_dim`.
    public var embeddingDimension: Int { configuration.embedDimension }

    /// OpenCLIP's evaluation preprocessing at the config's image size.
    public var imagePreprocessor: ImagePreprocessor { ImagePreprocessor(size: configuration.vision.imageSize) }

    /// The learned log temperature (`logit_scale`).
    public var logitScale: Float { parameters["logit_scale"]?.scalars.first ?? 0 }

    /// L2-normalised image embeddings.
    ///
    /// - Parameter pixels: `[count, 3, size, size]` preprocessed images.
    /// - Returns: `[count, embed_dim]`.
    /// - Throws: `DataCompError` for pixels of another shape.
    public func encodeImages(_ pixels: Tensor) throws -> Tensor {
        try imageFeatures(pixels).rowNormalized()
    }

    /// L2-normalised text embeddings of captions, tokenized with ``tokenizer`` at the config's
    /// context length.
    ///
    /// - Parameter texts: The captions.
    /// - Returns: `[texts.count, embed_dim]`.
    /// - Throws: `DataCompError` when the model has no tokenizer.
    public func encodeTexts(_ texts: StringColumn) throws -> Tensor {
        guard let tokenizer else {
            throw DataCompError(.invalidArgument, "the model has no tokenizer; create it with one to encode captions")
        }
        return try textFeatures(tokens: tokenizer.tokenize(texts, contextLength: configuration.text.contextLength))
            .rowNormalized()
    }

    /// `encode_image`: unnormalised image features.
    ///
    /// - Parameter pixels: `[count, 3, size, size]` preprocessed images.
    /// - Returns: `[count, embed_dim]`.
    /// - Throws: `DataCompError` with code `shapeMismatch` for pixels of another shape.
    public func imageFeatures(_ pixels: Tensor) throws -> Tensor {
        try imageFeatures(pixels, training: false)
    }

    /// `encode_image` in evaluation or training mode (which differ only for a ModifiedResNet's
    /// BatchNorm: batch statistics in training, computed over the whole batch, so it is not split).
    func imageFeatures(_ pixels: Tensor, training: Bool) throws -> Tensor {
        let vision = configuration.vision
        let size = vision.imageSize
        guard pixels.rank == 4, pixels.shape[1] == 3, pixels.shape[2] == size, pixels.shape[3] == size else {
            throw DataCompError(.shapeMismatch, "expected [count, 3, \(size), \(size)] pixels, found \(pixels.shape)")
        }
        let count = pixels.shape[0]
        guard let patch = vision.patchSize else {
            let forward = ResNetForward(parameters: parameters, configuration: configuration, training: training)
            if training {
                // One pass over the whole batch; its layers split their work instead.
                var whole = forward
                whole.layers = ResNetLayers(width: concurrency.width)
                let features = pixels.withUnsafeBufferPointer { whole.run(pixels: $0, images: 0..<count) }
                return Tensor(shape: [count, configuration.embedDimension], scalars: features)
            }
            return try splitting(count) { range in
                pixels.withUnsafeBufferPointer { forward.run(pixels: $0, images: range) }
            }
        }
        return try splitting(count) { range in
            imageFeatures(pixels, images: range, patch: patch)
        }
    }

    /// `encode_image` of images `range` of a checked pixel batch.
    private func imageFeatures(_ pixels: Tensor, images range: Range<Int>, patch: Int) -> [Float] {
        let vision = configuration.vision
        let size = vision.imageSize
        let count = range.count
        let width = vision.width
        let grid = size / patch
        let length = grid * grid + 1
        let patchValues = 3 * patch * patch
        // conv1 (stride = kernel = patch, no bias) as a GEMM of flattened (c, ky, kx) patches.
        let patches = Self.patchRows(pixels, images: range, patch: patch)
        var embedded = [Float](repeating: 0, count: count * grid * grid * width)
        TransformerForward.linear(
            patches, rows: count * grid * grid, inputs: patchValues, weight: parameters.values("visual.conv1.weight"),
            bias: [Float](repeating: 0, count: width), outputs: width, into: &embedded)
        // [class token; patches] + positional embedding, then ln_pre.
        let classEmbedding = parameters.values("visual.class_embedding")
        let positions = parameters.values("visual.positional_embedding")
        var x = [Float](repeating: 0, count: count * length * width)
        for image in 0..<count {
            for token in 0..<length {
                let target = (image * length + token) * width
                for channel in 0..<width {
                    let value =
                        token == 0
                        ? classEmbedding[channel] : embedded[(image * grid * grid + token - 1) * width + channel]
                    x[target + channel] = value + positions[token * width + channel]
                }
            }
        }
        var normed = x
        TransformerForward.layerNorm(
            x, into: &normed, rows: count * length, width: width, parameters: parameters, name: "visual.ln_pre")
        TransformerForward(
            parameters: parameters, prefix: "visual.transformer.resblocks", layers: vision.layers[0], width: width,
            heads: vision.heads, hidden: Int(Double(width) * vision.mlpRatio), quickGELU: configuration.quickGELU,
            causal: false
        ).run(&normed, batch: count, length: length)
        // ln_post on the class token, then · proj.
        var pooled = [Float](repeating: 0, count: count * width)
        for image in 0..<count {
            for channel in 0..<width { pooled[image * width + channel] = normed[image * length * width + channel] }
        }
        var pooledNormed = pooled
        TransformerForward.layerNorm(
            pooled, into: &pooledNormed, rows: count, width: width, parameters: parameters, name: "visual.ln_post")
        return TransformerForward.project(
            pooledNormed, rows: count, inputs: width, matrix: parameters.values("visual.proj"),
            outputs: configuration.embedDimension)
    }

    /// `encode_text`: unnormalised text features of token rows.
    ///
    /// - Parameter tokens: Rows of `context_length` token ids (from `CLIPTokenizer`); each row is
    ///   pooled at its largest id (the end-of-text token).
    /// - Returns: `[tokens.count, embed_dim]`.
    /// - Throws: `DataCompError` for another context length or an id outside the vocabulary.
    public func textFeatures(tokens: TokenBatch) throws -> Tensor {
        let text = configuration.text
        guard tokens.contextLength == text.contextLength else {
            throw DataCompError(
                .shapeMismatch, "tokens have context length \(tokens.contextLength), the model \(text.contextLength)")
        }
        if let bad = tokens.ids.first(where: { $0 < 0 || $0 >= text.vocabularySize }) {
            throw DataCompError(.invalidArgument, "token id \(bad) is outside the vocabulary of \(text.vocabularySize)")
        }
        return try splitting(tokens.count) { range in textFeatures(tokens, rows: range) }
    }

    /// `encode_text` of rows `range` of a checked token batch.
    private func textFeatures(_ tokens: TokenBatch, rows range: Range<Int>) -> [Float] {
        let text = configuration.text
        let count = range.count
        let (context, width) = (text.contextLength, text.width)
        // Each row is pooled at its first largest id (torch.argmax: the end-of-text token). The
        // causal mask keeps every position from seeing later ones, so positions after the last
        // pooled one cannot change any output: they are not computed.
        let pooledPositions = (0..<count).map { row in
            let ids = tokens.ids[((range.lowerBound + row) * context)..<((range.lowerBound + row + 1) * context)]
            var best = 0
            for (position, id) in ids.enumerated() where id > ids[ids.startIndex + best] { best = position }
            return best
        }
        let length = (pooledPositions.max() ?? 0) + 1
        let embedding = parameters.values("token_embedding.weight")
        let positions = parameters.values("positional_embedding")
        var x = [Float](repeating: 0, count: count * length * width)
        for row in 0..<count {
            for position in 0..<length {
                let id = Int(tokens.ids[(range.lowerBound + row) * context + position])
                for channel in 0..<width {
                    x[(row * length + position) * width + channel] =
                        embedding[id * width + channel] + positions[position * width + channel]
                }
            }
        }
        TransformerForward(
            parameters: parameters, prefix: "transformer.resblocks", layers: text.layers, width: width,
            heads: text.heads,
            hidden: Int(Double(width) * text.mlpRatio), quickGELU: configuration.quickGELU, causal: true
        ).run(&x, batch: count, length: length)
        // ln_final at the pooled positions, then · text_projection.
        var pooled = [Float](repeating: 0, count: count * width)
        for (row, best) in pooledPositions.enumerated() {
            for channel in 0..<width { pooled[row * width + channel] = x[(row * length + best) * width + channel] }
        }
        var pooledNormed = pooled
        TransformerForward.layerNorm(
            pooled, into: &pooledNormed, rows: count, width: width, parameters: parameters, name: "ln_final")
        return TransformerForward.project(
            pooledNormed, rows: count, inputs: width, matrix: parameters.values("text_projection"),
            outputs: configuration.embedDimension)
    }

    /// The `patch × patch` patches of images `range`, one row each (image by image, row-major
    /// over the grid), flattened in (channel, ky, kx) order: the columns `conv1` multiplies.
    static func patchRows(_ pixels: Tensor, images range: Range<Int>, patch: Int) -> [Float] {
        let size = pixels.shape[2]
        let grid = size / patch
        let patchValues = 3 * patch * patch
        var patches = [Float](repeating: 0, count: range.count * grid * grid * patchValues)
        pixels.withUnsafeBufferPointer { source in
            var offset = 0
            for image in range {
                for gy in 0..<grid {
                    for gx in 0..<grid {
                        for channel in 0..<3 {
                            for ky in 0..<patch {
                                let start = ((image * 3 + channel) * size + gy * patch + ky) * size + gx * patch
                                for kx in 0..<patch {
                                    patches[offset] = source[start + kx]
                                    offset += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return patches
    }
}
