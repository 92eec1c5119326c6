import Foundation

/// Encodes images batch by batch, decoding and preprocessing the next batch (in parallel, on the
/// options' budget) while the encoder works on the current one.
enum Embedding {
    static func embed(
        _ images: [MemberBytes], names: [String], encoder: any ImageTextEncoder, options: EvaluationOptions,
        progress: ProgressTracker?
    ) async throws -> Tensor {
        let dimension = encoder.embeddingDimension
        let preprocessor = encoder.imagePreprocessor
        let batchSize = options.batchSize
        let concurrency = options.concurrency
        let batches = stride(from: 0, to: images.count, by: batchSize).map { $0..<min($0 + batchSize, images.count) }
        var output = [Float]()
        output.reserveCapacity(images.count * dimension)

        // As clip_benchmark's webdataset decoder: every image is converted to RGB when decoded,
        // before the evaluation transform resizes it (palette and alpha images included).
        @Sendable func preprocess(_ range: Range<Int>) throws -> Tensor {
            let size = preprocessor.size
            let tensors = try BoundedFanOut.mapBlocking(range.count, width: concurrency.width, makeState: {}) {
                item, _ in
                let index = range.lowerBound + item
                do {
                    let image = try Image(decoding: images[index]).convertedToRGB()
                    return try preprocessor.evaluationTensor(for: image)
                } catch let failure as DataCompError {
                    let name = index < names.count ? names[index] : "image \(index)"
                    throw DataCompError(failure.code, "\(name): \(failure.message)", path: failure.path)
                }
            }
            return Tensor(shape: [range.count, 3, size, size], scalars: tensors.flatMap(\.scalars))
        }

        guard let first = batches.first else { return Tensor(shape: [0, dimension]) }
        var pending = Task { try preprocess(first) }
        for (index, range) in batches.enumerated() {
            let pixels = try await pending.value
            if index + 1 < batches.count {
                let next = batches[index + 1]
                pending = Task { try preprocess(next) }
            }
            let embeddings = try encoder.encodeImages(pixels)
            guard embeddings.shape == [range.count, dimension] else {
                throw DataCompError(
                    .shapeMismatch,
                    "the image encoder returned \(embeddings.shape) for \(range.count) images; expected [\(range.count), \(dimension)]"
                )
            }
            output.append(contentsOf: embeddings.scalars)
            progress?.advance(by: range.count)
        }
        return Tensor(shape: [images.count, dimension], scalars: output)
    }

    /// Encodes texts in batches.
    static func embedTexts(_ texts: [String], encoder: any ImageTextEncoder, batchSize: Int) throws -> Tensor {
        let dimension = encoder.embeddingDimension
        var output = [Float]()
        output.reserveCapacity(texts.count * dimension)
        for start in stride(from: 0, to: texts.count, by: max(1, batchSize)) {
            let batch = Array(texts[start..<min(start + max(1, batchSize), texts.count)])
            let encoded = try encoder.encodeTexts(batch)
            guard encoded.shape == [batch.count, dimension] else {
                throw DataCompError(
                    .shapeMismatch,
                    "the text encoder returned \(encoded.shape) for \(batch.count) texts; expected [\(batch.count), \(dimension)]"
                )
            }
            output.append(contentsOf: encoded.scalars)
        }
        return Tensor(shape: [texts.count, dimension], scalars: output)
    }
}
