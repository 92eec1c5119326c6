internal import DataCompKernels
import Foundation

extension CLIPModel {
    /// The contrastive loss of a batch of image-text pairs and its gradient with respect to
    /// every parameter: OpenCLIP's training forward (`model(images, texts)` with
    /// `output_dict=True`), `ClipLoss` on the batch as one global batch, and `loss.backward()`.
    ///
    /// - Parameters:
    ///   - pixels: `[count, 3, size, size]` preprocessed images.
    ///   - tokens: `count` rows of token ids, pair `i` = image `i` and row `i`.
    /// - Returns: The loss and the gradients.
    /// - Throws: `DataCompError` for mismatched shapes or fewer than two pairs.
    public func lossAndGradients(pixels: Tensor, tokens: TokenBatch) throws -> CLIPGradients {
        try lossAndGradients(microBatches: [(pixels, tokens)])
    }

    /// The loss and gradients of one optimizer step accumulated over micro-batches.
    ///
    /// This is what OpenCLIP's `train_one_epoch` computes with `--accum-freq` > 1: each micro-batch goes
    /// through the towers on its own (BatchNorm normalises with its own statistics), `ClipLoss`
    /// runs once over all the micro-batches' features together (every pair contrasts with the
    /// whole accumulated batch), and the gradient is that loss's. BatchNorm's running statistics
    /// take each micro-batch's statistics twice, in order (OpenCLIP's feature-caching pass
    /// without gradients, then the pass with them); once without accumulation.
    ///
    /// - Parameter microBatches: The micro-batches' images and tokens, at least one pair each
    ///   and two in all.
    /// - Returns: The loss and the gradients.
    /// - Throws: `DataCompError` for mismatched shapes, token ids outside the vocabulary, or
    ///   fewer than two pairs.
    public func lossAndGradients(microBatches: [(pixels: Tensor, tokens: TokenBatch)]) throws -> CLIPGradients {
        let count = microBatches.reduce(0) { $0 + $1.tokens.count }
        guard count >= 2, !microBatches.isEmpty else {
            throw DataCompError(.shapeMismatch, "a training step needs at least two pairs, found \(count)")
        }
        let size = configuration.vision.imageSize
        let text = configuration.text
        for (pixels, tokens) in microBatches {
            guard pixels.rank == 4, pixels.shape[0] == tokens.count, tokens.count >= 1 else {
                throw DataCompError(
                    .shapeMismatch, "a micro-batch has \(pixels.shape) images for \(tokens.count) token rows")
            }
            guard pixels.shape[1] == 3, pixels.shape[2] == size, pixels.shape[3] == size else {
                throw DataCompError(
                    .shapeMismatch, "expected [count, 3, \(size), \(size)] pixels, found \(pixels.shape)")
            }
            guard tokens.contextLength == text.contextLength else {
                throw DataCompError(
                    .shapeMismatch,
                    "tokens have context length \(tokens.contextLength), the model \(text.contextLength)")
            }
            if let bad = tokens.ids.first(where: { $0 < 0 || $0 >= text.vocabularySize }) {
                throw DataCompError(
                    .invalidArgument, "token id \(bad) is outside the vocabulary of \(text.vocabularySize)")
            }
        }
        // A ModifiedResNet's layers split their own work over the cores (one OpenBLAS thread per
        // part); OpenBLAS then runs single-threaded for the whole step, text tower included, so
        // that its idle threads do not spin against those parts between calls.
        if configuration.vision.patchSize == nil && concurrency.width > 1 {
            return BLASThreads.withCount(1) { accumulatedGradients(microBatches, count: count) }
        }
        return accumulatedGradients(microBatches, count: count)
    }

    /// The body of ``lossAndGradients(microBatches:)`` once the micro-batches are checked.
    private func accumulatedGradients(_ microBatches: [(pixels: Tensor, tokens: TokenBatch)], count: Int)
        -> CLIPGradients
    {
        var gradients = GradientStore()
        var visionTapes: [VisionTape] = []
        var resNetTapes: [ResNetTape] = []
        var textTapes: [TextTape] = []
        var imageFeatures: [Float] = []
        var textFeatures: [Float] = []
        for (pixels, tokens) in microBatches {
            if let patch = configuration.vision.patchSize {
                var tape = VisionTape(model: self, patch: patch)
                imageFeatures += tape.forward(pixels)
                visionTapes.append(tape)
            } else {
                var tape = ResNetTape(parameters: parameters, configuration: configuration, width: concurrency.width)
                imageFeatures += tape.forward(pixels)
                resNetTapes.append(tape)
            }
            var textTape = TextTape(model: self)
            textFeatures += textTape.forward(tokens)
            textTapes.append(textTape)
        }
        let embed = configuration.embedDimension
        let (loss, dImage, dText, dLogitScale) = Self.contrastiveLoss(
            image: imageFeatures, text: textFeatures, count: count, dimension: embed, logitScale: logitScale)
        var offset = 0
        for (index, (_, tokens)) in microBatches.enumerated() {
            let rows = (offset * embed)..<((offset + tokens.count) * embed)
            if index < visionTapes.count { visionTapes[index].backward(Array(dImage[rows]), into: &gradients) }
            if index < resNetTapes.count { resNetTapes[index].backward(Array(dImage[rows]), into: &gradients) }
            textTapes[index].backward(Array(dText[rows]), into: &gradients)
            offset += tokens.count
        }
        gradients.add("logit_scale", count: 1) { $0[0] += dLogitScale }
        var values: [String: Tensor] = [:]
        for name in parameters.names
        where parameters.counters[name] == nil && !name.hasSuffix(".running_mean") && !name.hasSuffix(".running_var") {
            guard let shape = parameters[name]?.shape else { continue }
            values[name] = Tensor(
                shape: shape, scalars: gradients.values[name] ?? [Float](repeating: 0, count: shape.reduce(1, *)))
        }
        var statistics: [String: Tensor] = [:]
        if resNetTapes.count == 1 {
            for (name, values) in resNetTapes[0].runningStatistics {
                statistics[name] = Tensor(shape: [values.count], scalars: values)
            }
        } else if let first = resNetTapes.first {
            for name in first.batchStatistics.keys {
                var running = parameters.values(name)
                for _ in 0..<2 {
                    for tape in resNetTapes {
                        let batch = tape.batchStatistics[name] ?? running
                        for channel in running.indices {
                            running[channel] = 0.9 * running[channel] + 0.1 * batch[channel]
                        }
                    }
                }
                statistics[name] = Tensor(shape: [running.count], scalars: running)
            }
        }
        var result = CLIPGradients(loss: loss, values: values, runningStatistics: statistics)
        result.runningStatisticsPasses = microBatches.count == 1 ? 1 : 2 * microBatches.count
        return result
    }

    /// `ClipLoss` and its gradients with respect to the unnormalised features and `logit_scale`.
    static func contrastiveLoss(
        image: [Float], text: [Float], count: Int, dimension: Int, logitScale: Float
    ) -> (loss: Float, dImage: [Float], dText: [Float], dLogitScale: Float) {
        let (imageUnit, imageNorms) = normalize(image, rows: count, width: dimension)
        let (textUnit, textNorms) = normalize(text, rows: count, width: dimension)
        let scale = expf(logitScale)
        var similarity = [Float](repeating: 0, count: count * count)
        imageUnit.withUnsafeBufferPointer { i in
            textUnit.withUnsafeBufferPointer { t in
                similarity.withUnsafeMutableBufferPointer { s in
                    GEMM.multiply(
                        MatrixView(i, rows: count, columns: dimension), MatrixView(t, rows: count, columns: dimension),
                        into: MutableMatrixView(s, rows: count, columns: count), transposeB: true)
                }
            }
        }
        // G = ½/N · [(softmax_rows(L) − Y) + (softmax_columns(L) − Y)], L = scale · similarity.
        var gradient = [Float](repeating: 0, count: count * count)
        var loss: Double = 0
        for row in 0..<count {
            var maximum = -Float.infinity
            for column in 0..<count { maximum = max(maximum, scale * similarity[row * count + column]) }
            var sum: Double = 0
            for column in 0..<count { sum += Double(expf(scale * similarity[row * count + column] - maximum)) }
            loss += Double(maximum) + log(sum) - Double(scale * similarity[row * count + row])
            for column in 0..<count {
                let p = Double(expf(scale * similarity[row * count + column] - maximum)) / sum
                gradient[row * count + column] += Float((p - (row == column ? 1 : 0)) / Double(2 * count))
            }
        }
        for column in 0..<count {
            var maximum = -Float.infinity
            for row in 0..<count { maximum = max(maximum, scale * similarity[row * count + column]) }
            var sum: Double = 0
            for row in 0..<count { sum += Double(expf(scale * similarity[row * count + column] - maximum)) }
            loss += Double(maximum) + log(sum) - Double(scale * similarity[column * count + column])
            for row in 0..<count {
                let p = Double(expf(scale * similarity[row * count + column] - maximum)) / sum
                gradient[row * count + column] += Float((p - (row == column ? 1 : 0)) / Double(2 * count))
            }
        }
        var dLogitScale: Float = 0
        for index in 0..<(count * count) { dLogitScale += gradient[index] * similarity[index] * scale }
        // dI = scale · G · T; dT = scale · Gᵀ · I (unit vectors), then through the normalisation.
        var dImageUnit = [Float](repeating: 0, count: count * dimension)
        var dTextUnit = [Float](repeating: 0, count: count * dimension)
        gradient.withUnsafeBufferPointer { g in
            textUnit.withUnsafeBufferPointer { t in
                dImageUnit.withUnsafeMutableBufferPointer { d in
                    GEMM.multiply(
                        MatrixView(g, rows: count, columns: count), MatrixView(t, rows: count, columns: dimension),
                        into: MutableMatrixView(d, rows: count, columns: dimension), alpha: scale)
                }
            }
            imageUnit.withUnsafeBufferPointer { i in
                dTextUnit.withUnsafeMutableBufferPointer { d in
                    GEMM.multiply(
                        MatrixView(g, rows: count, columns: count), MatrixView(i, rows: count, columns: dimension),
                        into: MutableMatrixView(d, rows: count, columns: dimension), transposeA: true, alpha: scale)
                }
            }
        }
        return (
            Float(loss / Double(2 * count)),
            normalizeBackward(dImageUnit, unit: imageUnit, norms: imageNorms, rows: count, width: dimension),
            normalizeBackward(dTextUnit, unit: textUnit, norms: textNorms, rows: count, width: dimension), dLogitScale
        )
    }

    /// `F.normalize`: rows divided by `max(‖row‖, 1e-12)`; the norms are returned for backward.
    static func normalize(_ values: [Float], rows: Int, width: Int) -> (unit: [Float], norms: [Float]) {
        var unit = values
        var norms = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            var sum: Float = 0
            for i in 0..<width { sum += values[row * width + i] * values[row * width + i] }
            norms[row] = max(sum.squareRoot(), 1e-12)
            for i in 0..<width { unit[row * width + i] /= norms[row] }
        }
        return (unit, norms)
    }

    /// Backward of `F.normalize`: `dx = (dy − y·(y·dy)) / ‖x‖`.
    static func normalizeBackward(_ dUnit: [Float], unit: [Float], norms: [Float], rows: Int, width: Int) -> [Float] {
        var result = dUnit
        for row in 0..<rows {
            var dot: Float = 0
            for i in 0..<width { dot += unit[row * width + i] * dUnit[row * width + i] }
            for i in 0..<width {
                result[row * width + i] = (dUnit[row * width + i] - unit[row * width + i] * dot) / norms[row]
            }
        }
        return result
    }
}

/// The ViT image tower's forward with activations kept, and its backward.
struct VisionTape {
    let model: CLIPModel
    let patch: Int
    var count = 0
    var patches: [Float] = []
    var embedded: [Float] = []
    var lnPreInverse: [Float] = []
    var tape: TransformerTape?
    var blocksOutput: [Float] = []
    var pooled: [Float] = []
    var lnPostInverse: [Float] = []
    var pooledNormed: [Float] = []

    init(model: CLIPModel, patch: Int) {
        self.model = model
        self.patch = patch
    }

    private var width: Int { model.configuration.vision.width }
    private var grid: Int { model.configuration.vision.imageSize / patch }
    private var length: Int { grid * grid + 1 }

    mutating func forward(_ pixels: Tensor) -> [Float] {
        let parameters = model.parameters
        let vision = model.configuration.vision
        count = pixels.shape[0]
        let patchValues = 3 * patch * patch
        patches = CLIPModel.patchRows(pixels, images: 0..<count, patch: patch)
        var tokens = [Float](repeating: 0, count: count * grid * grid * width)
        TransformerForward.linear(
            patches, rows: count * grid * grid, inputs: patchValues, weight: parameters.values("visual.conv1.weight"),
            bias: [Float](repeating: 0, count: width), outputs: width, into: &tokens)
        let classEmbedding = parameters.values("visual.class_embedding")
        let positions = parameters.values("visual.positional_embedding")
        embedded = [Float](repeating: 0, count: count * length * width)
        for image in 0..<count {
            for token in 0..<length {
                for channel in 0..<width {
                    let value =
                        token == 0
                        ? classEmbedding[channel] : tokens[(image * grid * grid + token - 1) * width + channel]
                    embedded[(image * length + token) * width + channel] = value + positions[token * width + channel]
                }
            }
        }
        var x: [Float]
        (x, lnPreInverse) = TransformerTape.layerNorm(
            embedded, rows: count * length, width: width, parameters: parameters, name: "visual.ln_pre")
        var tape = TransformerTape(
            TransformerForward(
                parameters: parameters, prefix: "visual.transformer.resblocks", layers: vision.layers[0], width: width,
                heads: vision.heads, hidden: Int(Double(width) * vision.mlpRatio),
                quickGELU: model.configuration.quickGELU,
                causal: false), batch: count, length: length)
        tape.forward(&x)
        self.tape = tape
        blocksOutput = x
        pooled = [Float](repeating: 0, count: count * width)
        for image in 0..<count {
            for channel in 0..<width { pooled[image * width + channel] = x[image * length * width + channel] }
        }
        (pooledNormed, lnPostInverse) = TransformerTape.layerNorm(
            pooled, rows: count, width: width, parameters: parameters, name: "visual.ln_post")
        return TransformerForward.project(
            pooledNormed, rows: count, inputs: width, matrix: parameters.values("visual.proj"),
            outputs: model.configuration.embedDimension)
    }

    func backward(_ dFeatures: [Float], into gradients: inout GradientStore) {
        let parameters = model.parameters
        let embed = model.configuration.embedDimension
        let dPooledNormed = projectBackward(
            dFeatures, input: pooledNormed, rows: count, inputs: width, outputs: embed, matrixName: "visual.proj",
            parameters: parameters, gradients: &gradients)
        var dPooled = [Float](repeating: 0, count: count * width)
        TransformerTape.layerNormBackward(
            dPooledNormed, input: pooled, inverse: lnPostInverse, rows: count, width: width, parameters: parameters,
            name: "visual.ln_post", accumulatingInto: &dPooled, gradients: &gradients)
        var dX = [Float](repeating: 0, count: count * length * width)
        for image in 0..<count {
            for channel in 0..<width { dX[image * length * width + channel] = dPooled[image * width + channel] }
        }
        tape?.backward(&dX, into: &gradients)
        var dEmbedded = [Float](repeating: 0, count: count * length * width)
        TransformerTape.layerNormBackward(
            dX, input: embedded, inverse: lnPreInverse, rows: count * length, width: width, parameters: parameters,
            name: "visual.ln_pre", accumulatingInto: &dEmbedded, gradients: &gradients)
        gradients.add("visual.positional_embedding", count: length * width) { d in
            for image in 0..<count {
                for index in 0..<(length * width) { d[index] += dEmbedded[image * length * width + index] }
            }
        }
        gradients.add("visual.class_embedding", count: width) { d in
            for image in 0..<count {
                for channel in 0..<width { d[channel] += dEmbedded[image * length * width + channel] }
            }
        }
        var dTokens = [Float](repeating: 0, count: count * grid * grid * width)
        for image in 0..<count {
            for token in 1..<length {
                for channel in 0..<width {
                    dTokens[(image * grid * grid + token - 1) * width + channel] =
                        dEmbedded[(image * length + token) * width + channel]
                }
            }
        }
        _ = TransformerTape.linearBackward(
            dTokens, input: patches, rows: count * grid * grid, inputs: 3 * patch * patch, outputs: width,
            weight: parameters.values("visual.conv1.weight"), weightName: "visual.conv1.weight", biasName: nil,
            gradients: &gradients)
    }
}

/// The text tower's forward with activations kept, and its backward.
struct TextTape {
    let model: CLIPModel
    var count = 0
    var length = 0
    var ids: [Int] = []
    var pooledPositions: [Int] = []
    var tape: TransformerTape?
    var pooled: [Float] = []
    var lnInverse: [Float] = []
    var pooledNormed: [Float] = []

    init(model: CLIPModel) { self.model = model }

    private var width: Int { model.configuration.text.width }

    mutating func forward(_ tokens: TokenBatch) -> [Float] {
        let parameters = model.parameters
        let text = model.configuration.text
        let context = tokens.contextLength
        count = tokens.count
        pooledPositions = (0..<count).map { row in
            let row = tokens.ids[(row * context)..<((row + 1) * context)]
            var best = 0
            for (position, id) in row.enumerated() where id > row[row.startIndex + best] { best = position }
            return best
        }
        length = (pooledPositions.max() ?? 0) + 1
        let embedding = parameters.values("token_embedding.weight")
        let positions = parameters.values("positional_embedding")
        ids = []
        var x = [Float](repeating: 0, count: count * length * width)
        for row in 0..<count {
            for position in 0..<length {
                let id = Int(tokens.ids[row * context + position])
                ids.append(id)
                for channel in 0..<width {
                    x[(row * length + position) * width + channel] =
                        embedding[id * width + channel] + positions[position * width + channel]
                }
            }
        }
        var tape = TransformerTape(
            TransformerForward(
                parameters: parameters, prefix: "transformer.resblocks", layers: text.layers, width: width,
                heads: text.heads,
                hidden: Int(Double(width) * text.mlpRatio), quickGELU: model.configuration.quickGELU, causal: true),
            batch: count, length: length)
        tape.forward(&x)
        self.tape = tape
        pooled = [Float](repeating: 0, count: count * width)
        for (row, best) in pooledPositions.enumerated() {
            for channel in 0..<width { pooled[row * width + channel] = x[(row * length + best) * width + channel] }
        }
        (pooledNormed, lnInverse) = TransformerTape.layerNorm(
            pooled, rows: count, width: width, parameters: parameters, name: "ln_final")
        return TransformerForward.project(
            pooledNormed, rows: count, inputs: width, matrix: parameters.values("text_projection"),
            outputs: model.configuration.embedDimension)
    }

    func backward(_ dFeatures: [Float], into gradients: inout GradientStore) {
        let parameters = model.parameters
        let text = model.configuration.text
        let dPooledNormed = projectBackward(
            dFeatures, input: pooledNormed, rows: count, inputs: width, outputs: model.configuration.embedDimension,
            matrixName: "text_projection", parameters: parameters, gradients: &gradients)
        var dPooled = [Float](repeating: 0, count: count * width)
        TransformerTape.layerNormBackward(
            dPooledNormed, input: pooled, inverse: lnInverse, rows: count, width: width, parameters: parameters,
            name: "ln_final", accumulatingInto: &dPooled, gradients: &gradients)
        var dX = [Float](repeating: 0, count: count * length * width)
        for (row, best) in pooledPositions.enumerated() {
            for channel in 0..<width { dX[(row * length + best) * width + channel] = dPooled[row * width + channel] }
        }
        tape?.backward(&dX, into: &gradients)
        gradients.add("positional_embedding", count: text.contextLength * width) { d in
            for row in 0..<count {
                for index in 0..<(length * width) { d[index] += dX[row * length * width + index] }
            }
        }
        gradients.add("token_embedding.weight", count: text.vocabularySize * width) { d in
            for (position, id) in ids.enumerated() {
                for channel in 0..<width { d[id * width + channel] += dX[position * width + channel] }
            }
        }
    }
}

/// Backward of `y = x · M` for a `[inputs, outputs]` matrix `M`: adds `dM = xᵀ·dy`, returns `dx = dy·Mᵀ`.
private func projectBackward(
    _ dOutput: [Float], input: [Float], rows: Int, inputs: Int, outputs: Int, matrixName: String,
    parameters: CLIPParameters, gradients: inout GradientStore
) -> [Float] {
    let matrix = parameters.values(matrixName)
    var dInput = [Float](repeating: 0, count: rows * inputs)
    dOutput.withUnsafeBufferPointer { dy in
        input.withUnsafeBufferPointer { x in
            gradients.add(matrixName, count: inputs * outputs) { dM in
                GEMM.multiply(
                    MatrixView(x, rows: rows, columns: inputs), MatrixView(dy, rows: rows, columns: outputs),
                    into: MutableMatrixView(dM, rows: inputs, columns: outputs), transposeA: true, beta: 1)
            }
            matrix.withUnsafeBufferPointer { m in
                dInput.withUnsafeMutableBufferPointer { dx in
                    GEMM.multiply(
                        MatrixView(dy, rows: rows, columns: outputs), MatrixView(m, rows: inputs, columns: outputs),
                        into: MutableMatrixView(dx, rows: rows, columns: inputs), transposeB: true)
                }
            }
        }
    }
    return dInput
}
