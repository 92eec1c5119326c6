import Foundation

/// The evaluators' image and text encoding: the encoder's batch pipeline
/// (``ImageTextEncoder/embedImages(_:names:batchSize:concurrency:progress:)``) on the options'
/// batch size and budget.
enum Embedding {
    static func embed(
        _ images: [MemberBytes], names: [String], encoder: any ImageTextEncoder, options: EvaluationOptions,
        progress: ProgressTracker?
    ) async throws -> Tensor {
        try await encoder.embedImages(
            images, names: names, batchSize: options.batchSize, concurrency: options.concurrency, progress: progress)
    }

    /// Encodes texts in batches.
    static func embedTexts(_ texts: [String], encoder: any ImageTextEncoder, batchSize: Int) throws -> Tensor {
        try encoder.embedTexts(texts, batchSize: batchSize)
    }
}
