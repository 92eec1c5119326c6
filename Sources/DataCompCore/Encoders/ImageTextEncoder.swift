import Foundation

/// A model that maps images and texts into one embedding space — CLIP and every model used like
/// it: the protocol the layers share.
///
/// Training implements it (its CLIP models), filters consume it (CLIP scores, embeddings for
/// k-means and de-duplication) and evaluation consumes it (zero-shot classifiers and retrieval),
/// so each layer works with any encoder: a trained checkpoint, a wrapper around another runtime,
/// or a test double that returns fixed embeddings.
///
/// Both methods take a batch and return one row per item, `[count, embeddingDimension]`, each
/// row L2-normalised (`F.normalize(x, dim=-1)`), so that a dot product is a cosine similarity.
/// Images arrive preprocessed with ``imagePreprocessor`` (a `[count, 3, size, size]` tensor);
/// texts arrive as raw captions, which the encoder tokenizes as its model requires.
///
/// ```swift
/// func clipScores(_ encoder: some ImageTextEncoder, images: [MemberBytes], captions: StringColumn) throws -> [Float] {
///     let pixels = try encoder.imagePreprocessor.evaluationBatch(decoding: images)
///     let imageEmbeddings = try encoder.encodeImages(pixels)
///     let textEmbeddings = try encoder.encodeTexts(captions)
///     return (0..<captions.count).map { row in
///         (0..<encoder.embeddingDimension).reduce(0) { $0 + imageEmbeddings[row, $1] * textEmbeddings[row, $1] }
///     }
/// }
/// ```
public protocol ImageTextEncoder: Sendable {
    /// The number of values per embedding.
    var embeddingDimension: Int { get }

    /// The preprocessing the encoder's images need (size, mean and standard deviation).
    var imagePreprocessor: ImagePreprocessor { get }

    /// Encodes a batch of preprocessed images.
    ///
    /// - Parameter pixels: `[count, 3, size, size]` pixels from ``imagePreprocessor``.
    /// - Returns: `[count, embeddingDimension]` L2-normalised embeddings.
    /// - Throws: ``DataCompError`` when the batch cannot be encoded (for example a wrong image size).
    func encodeImages(_ pixels: Tensor) throws -> Tensor

    /// Encodes a batch of captions.
    ///
    /// - Parameter texts: The captions, for example a pool batch's ``PoolBatch/texts``.
    /// - Returns: `[texts.count, embeddingDimension]` L2-normalised embeddings.
    /// - Throws: ``DataCompError`` when the batch cannot be encoded.
    func encodeTexts(_ texts: StringColumn) throws -> Tensor
}

extension ImageTextEncoder {
    /// Encodes a batch of captions given as strings.
    ///
    /// - Parameter texts: The captions.
    /// - Returns: `[texts.count, embeddingDimension]` L2-normalised embeddings.
    /// - Throws: What ``encodeTexts(_:)-(StringColumn)`` throws.
    public func encodeTexts(_ texts: [String]) throws -> Tensor {
        try encodeTexts(StringColumn(texts))
    }

    /// Decodes encoded images (JPEG, PNG, WebP), preprocesses them with ``imagePreprocessor``
    /// in parallel and encodes them.
    ///
    /// - Parameters:
    ///   - encoded: The encoded files, read in place.
    ///   - concurrency: How many images are decoded and preprocessed at once.
    /// - Returns: `[encoded.count, embeddingDimension]` L2-normalised embeddings.
    /// - Throws: ``DataCompError`` naming the index of an image that cannot be decoded, or what
    ///   ``encodeImages(_:)`` throws.
    public func encodeImages<Bytes: ContiguousBytes & Sendable>(
        decoding encoded: [Bytes], concurrency: ConcurrencyBudget = .machine
    ) throws -> Tensor {
        try encodeImages(try imagePreprocessor.evaluationBatch(decoding: encoded, concurrency: concurrency))
    }
}
