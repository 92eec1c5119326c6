import Foundation

/// The native CPU trainer: OpenCLIP's training step (``CLIPModel/lossAndGradients(pixels:tokens:)``,
/// optional gradient clipping, ``AdamW``, the `logit_scale` clamp, BatchNorm statistics) on
/// batches from a ``TrainingDataLoader``, with OpenCLIP's cosine schedule.
///
/// The output folder receives `train_log.jsonl` (one line per step: `step`, `loss`, `lr`,
/// `logit_scale` as its exponential, `samples_per_second`), `loss.svg`, and in `checkpoints/`
/// `epoch_latest.safetensors` (OpenCLIP's names, loadable by OpenCLIP) and `state.safetensors`
/// (weights, optimizer moments, step and data position in one file, written atomically), from
/// which a killed run resumes on the same trajectory.
public struct CPUTrainer: Trainer {
    /// The model config.
    public let configuration: CLIPConfiguration
    /// The starting weights of a new run.
    public let initialParameters: CLIPParameters
    /// The caption tokenizer.
    public let tokenizer: CLIPTokenizer
    /// The hyper-parameters.
    public let training: TrainingConfiguration
    /// How many threads decode samples and split batches.
    public let concurrency: ConcurrencyBudget

    /// Creates a trainer.
    ///
    /// - Parameters:
    ///   - configuration: The model config.
    ///   - initialParameters: The starting weights (for example ``CLIPParameters/init(initializingFor:seed:)``).
    ///   - tokenizer: The caption tokenizer.
    ///   - training: The hyper-parameters.
    ///   - concurrency: How many threads work.
    public init(
        configuration: CLIPConfiguration, initialParameters: CLIPParameters, tokenizer: CLIPTokenizer,
        training: TrainingConfiguration, concurrency: ConcurrencyBudget = .machine
    ) {
        self.configuration = configuration
        self.initialParameters = initialParameters
        self.tokenizer = tokenizer
        self.training = training
        self.concurrency = concurrency
    }

    /// Trains, or resumes, a run.
    ///
    /// - Parameters:
    ///   - dataDirectories: Folders of webdataset shards.
    ///   - outputDirectory: Where checkpoints and `train_log.jsonl` go.
    ///   - resume: Whether to continue from `checkpoints/state.safetensors` (a new run otherwise).
    ///   - progress: Where progress goes.
    /// - Returns: What the run did.
    /// - Throws: `DataCompError` for unreadable data or files that cannot be written.
    public func train(
        dataDirectories: [String], outputDirectory: String, resume: Bool, progress: any ProgressReporter
    ) async throws -> TrainingSummary {
        let checkpoints = outputDirectory + "/checkpoints"
        do {
            try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(
                .io, "cannot create the output folder: \(error.localizedDescription)", path: checkpoints)
        }
        let statePath = checkpoints + "/state.safetensors"
        let logPath = outputDirectory + "/train_log.jsonl"
        var parameters = initialParameters
        var optimizer = AdamW(
            weightDecay: training.weightDecay, betas: (training.beta1, training.beta2), epsilon: training.epsilon)
        optimizer.concurrency = concurrency
        var position = TrainingDataLoader.Position()
        var firstStep = 0
        var logLines: [String] = []
        if resume, FileManager.default.fileExists(atPath: statePath) {
            let state = try SafetensorsFile(path: statePath)
            func number(_ key: String) throws -> Int {
                guard let text = state.metadataValue(forKey: key), let value = Int(text) else {
                    throw DataCompError(.invalidFormat, "the training state has no \(key)", path: statePath)
                }
                return value
            }
            firstStep = try number("step")
            position = TrainingDataLoader.Position(consumed: try number("consumed"), skipped: try number("skipped"))
            var tensors: [String: Tensor] = [:]
            var counters: [String: Int64] = [:]
            for info in state.tensors where info.name.hasPrefix("model.") {
                let name = String(info.name.dropFirst("model.".count))
                if info.dataType == .int64 {
                    counters[name] = try state.int64Values(named: info.name).first ?? 0
                } else {
                    tensors[name] = try state.tensor(named: info.name)
                }
            }
            parameters = try CLIPParameters(tensors: tensors, counters: counters, configuration: configuration)
            try optimizer.restore(from: state, stepCount: firstStep)
            // Keep the log lines of the steps the checkpoint covers.
            if let data = FileManager.default.contents(atPath: logPath) {
                logLines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter {
                    line in
                    guard let step = (try? JSONValue(parsing: line))?["step"]?.intValue else { return false }
                    return step < firstStep
                }
            }
        }
        try AtomicFile.write(Array(logLines.map { $0 + "\n" }.joined().utf8), to: logPath)
        let loader = try TrainingDataLoader(
            dataDirectories: dataDirectories, preprocessor: ImagePreprocessor(size: configuration.vision.imageSize),
            tokenizer: tokenizer, contextLength: configuration.text.contextLength, batchSize: training.batchSize,
            seed: training.seed, sequential: training.sequential, augments: training.augments,
            resampled: training.resampled, concurrency: concurrency)
        let schedule = CosineSchedule(
            baseLearningRate: training.learningRate, warmupSteps: training.warmupSteps, totalSteps: training.steps)
        let tracker = ProgressTracker(label: "training", total: training.steps, unit: "steps", reporter: progress)
        tracker.advance(by: firstStep)
        var losses: [Float] = []
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        _ = try log.seekToEnd()
        for step in firstStep..<max(firstStep, training.steps) {
            let start = Date()
            let learningRate = schedule.learningRate(at: step)
            var microBatches: [(pixels: Tensor, tokens: TokenBatch)] = []
            var next = position
            for _ in 0..<max(1, training.accumulation) {
                let (batch, following) = try loader.batch(at: next)
                microBatches.append((batch.pixels, batch.tokens))
                next = following
            }
            // The model shares the parameters' storage; it must be gone before the optimizer
            // updates them, or every updated tensor is copied (a second set of weights in memory).
            let logitScale = parameters["logit_scale"]?.scalars.first ?? 0
            var gradients = try CLIPModel(
                configuration: configuration, parameters: parameters, concurrency: concurrency
            ).lossAndGradients(microBatches: microBatches)
            guard gradients.loss.isFinite else {
                let kept = FileManager.default.fileExists(atPath: checkpoints + "/epoch_latest.safetensors")
                throw DataCompError(
                    .trainingDiverged,
                    "the loss of step \(step) is \(gradients.loss); training stopped before updating the weights. "
                        + (kept
                            ? "The last checkpoint in \(checkpoints) is kept; lower --lr or add --grad-clip-norm and train again"
                            : "No checkpoint was written yet; lower --lr or add --grad-clip-norm"),
                    path: logPath)
            }
            if let maximum = training.gradientClipNorm { Self.clip(&gradients, maximumNorm: maximum) }
            try optimizer.step(&parameters, gradients: gradients, learningRate: learningRate)
            parameters.clampLogitScale()
            parameters.applyRunningStatistics(gradients.runningStatistics, passes: gradients.runningStatisticsPasses)
            position = next
            losses.append(gradients.loss)
            let seconds = Date().timeIntervalSince(start)
            let line = JSONValue.object([
                ("step", .int(step)), ("loss", .double(Double(gradients.loss))), ("lr", .double(learningRate)),
                ("logit_scale", .double(Double(expf(logitScale)))),
                (
                    "samples_per_second",
                    .double(Double(training.batchSize * max(1, training.accumulation)) / max(seconds, 1e-9))
                ),
            ]).serialized()
            logLines.append(line)
            try log.write(contentsOf: Data((line + "\n").utf8))
            tracker.advance()
            if (step + 1) % max(1, training.checkpointInterval) == 0 || step + 1 == training.steps {
                try Self.writeCheckpoint(
                    parameters: parameters, optimizer: optimizer, step: step + 1, position: position,
                    checkpoints: checkpoints)
                try Self.writeLossCurve(logLines, to: outputDirectory + "/loss.svg")
            }
        }
        tracker.finish()
        return TrainingSummary(
            firstStep: firstStep, steps: training.steps, losses: losses, skippedSamples: position.skipped,
            checkpointPath: checkpoints + "/epoch_latest.safetensors")
    }

    /// `clip_grad_norm_` over all parameters: scale by `max / (norm + 1e-6)` when below 1.
    static func clip(_ gradients: inout CLIPGradients, maximumNorm: Double) {
        var sum = 0.0
        for tensor in gradients.values.values { for value in tensor.scalars { sum += Double(value) * Double(value) } }
        let scale = Float(maximumNorm / (sum.squareRoot() + 1e-6))
        guard scale < 1 else { return }
        for (name, tensor) in gradients.values { gradients.values[name] = tensor.scaled(by: scale) }
    }

    /// Writes `state.safetensors` (everything a resume needs, one atomic file) and the
    /// OpenCLIP-loadable `epoch_latest.safetensors`.
    static func writeCheckpoint(
        parameters: CLIPParameters, optimizer: AdamW, step: Int, position: TrainingDataLoader.Position,
        checkpoints: String
    ) throws {
        try SafetensorsFile.write(
            float32: parameters.namedTensors(prefix: "model.") + optimizer.stateSources,
            int64: parameters.namedCounters(prefix: "model."),
            metadata: [
                "step": String(step), "consumed": String(position.consumed), "skipped": String(position.skipped),
            ],
            to: checkpoints + "/state.safetensors")
        try parameters.write(to: checkpoints + "/epoch_latest.safetensors")
    }

    /// An SVG line chart of the logged losses.
    static func writeLossCurve(_ lines: [String], to path: String) throws {
        let losses = lines.compactMap { (try? JSONValue(parsing: $0))?["loss"]?.doubleValue }
        guard !losses.isEmpty else { return }
        let (width, height, margin) = (640.0, 320.0, 40.0)
        let top = losses.max() ?? 1
        let bottom = min(losses.min() ?? 0, top - 1e-9)
        let points = losses.enumerated().map { index, loss in
            let x = margin + (width - 2 * margin) * Double(index) / Double(max(losses.count - 1, 1))
            let y = margin + (height - 2 * margin) * (top - loss) / (top - bottom)
            return String(format: "%.1f,%.1f", x, y)
        }
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin)" y="24" font-family="sans-serif" font-size="14">training loss (\(losses.count) steps)</text>
            <text x="4" y="\(margin + 4)" font-family="sans-serif" font-size="11">\(String(format: "%.3f", top))</text>
            <text x="4" y="\(height - margin + 4)" font-family="sans-serif" font-size="11">\(String(format: "%.3f", bottom))</text>
            <polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="\(points.joined(separator: " "))"/>
            </svg>

            """
        try AtomicFile.write(Array(svg.utf8), to: path)
    }
}
