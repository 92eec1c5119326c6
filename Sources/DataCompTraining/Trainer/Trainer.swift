/// Trains a CLIP model on a folder of image-text shards and writes checkpoints and a log.
///
/// ``CPUTrainer`` trains natively; other trainers (an OpenCLIP launcher for GPU clusters) take
/// the same inputs.
public protocol Trainer: Sendable {
    /// Trains, or resumes, a run.
    ///
    /// - Parameters:
    ///   - dataDirectories: Folders of webdataset shards.
    ///   - outputDirectory: Where checkpoints and `train_log.jsonl` go.
    ///   - resume: Whether to continue from the last checkpoint in `outputDirectory`.
    ///   - progress: Where progress goes.
    /// - Returns: What the run did.
    /// - Throws: `DataCompError` for unreadable data or files that cannot be written.
    func train(
        dataDirectories: [String], outputDirectory: String, resume: Bool, progress: any ProgressReporter
    ) async throws -> TrainingSummary
}

/// What a training run did.
public struct TrainingSummary: Sendable {
    /// The step the run started from (0, or the resumed checkpoint's step).
    public var firstStep: Int
    /// The steps done in all.
    public var steps: Int
    /// The loss of every step of this run, from `firstStep`.
    public var losses: [Float]
    /// Samples skipped because they could not be read.
    public var skippedSamples: Int
    /// The final checkpoint (OpenCLIP-named safetensors).
    public var checkpointPath: String
}
