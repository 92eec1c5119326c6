import Foundation

extension ImageTextEncoder {
    /// Encodes many images batch by batch, decoding (converted to RGB, as PIL's `convert("RGB")`
    /// in OpenCLIP's and clip_benchmark's loaders) and preprocessing the next batch in parallel
    /// while the encoder works on the current one.
    ///
    /// - Parameters:
    ///   - images: The encoded images (JPEG, PNG, WebP), read in place.
    ///   - names: A name per image for error messages (`shard sample key`); default: the index.
    ///   - batchSize: Images per encoder call.
    ///   - concurrency: How many images are decoded and preprocessed at once.
    ///   - progress: Advanced by each batch's size.
    /// - Returns: `[images.count, embeddingDimension]` embeddings, as ``encodeImages(_:)`` returns them.
    /// - Throws: ``DataCompError`` naming the image that cannot be decoded, or what
    ///   ``encodeImages(_:)`` throws.
    public func embedImages(
        _ images: [MemberBytes], names: [String] = [], batchSize: Int = 64, concurrency: ConcurrencyBudget = .machine,
        progress: ProgressTracker? = nil
    ) async throws -> Tensor {
        let dimension = embeddingDimension
        let preprocessor = imagePreprocessor
        let batchSize = max(1, batchSize)
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
            output.append(contentsOf: try checked(encodeImages(pixels), rows: range.count, of: "image"))
            progress?.advance(by: range.count)
        }
        return Tensor(shape: [images.count, dimension], scalars: output)
    }

    /// Encodes many captions in batches.
    ///
    /// - Parameters:
    ///   - texts: The captions.
    ///   - batchSize: Captions per encoder call.
    /// - Returns: `[texts.count, embeddingDimension]` embeddings.
    /// - Throws: What ``encodeTexts(_:)-(StringColumn)`` throws, or a shape mismatch.
    public func embedTexts(_ texts: [String], batchSize: Int = 256) throws -> Tensor {
        let dimension = embeddingDimension
        var output = [Float]()
        output.reserveCapacity(texts.count * dimension)
        for start in stride(from: 0, to: texts.count, by: max(1, batchSize)) {
            let batch = Array(texts[start..<min(start + max(1, batchSize), texts.count)])
            output.append(contentsOf: try checked(encodeTexts(batch), rows: batch.count, of: "text"))
        }
        return Tensor(shape: [texts.count, dimension], scalars: output)
    }

    /// The values of one batch's embeddings, after checking that the encoder returned
    /// `[rows, embeddingDimension]` for `rows` inputs of `kind` ("image", "text").
    private func checked(_ embeddings: Tensor, rows: Int, of kind: String) throws -> [Float] {
        guard embeddings.shape == [rows, embeddingDimension] else {
            throw DataCompError(
                .shapeMismatch,
                "the \(kind) encoder returned \(embeddings.shape) for \(rows) \(kind)s; expected [\(rows), \(embeddingDimension)]"
            )
        }
        return embeddings.scalars
    }
}
