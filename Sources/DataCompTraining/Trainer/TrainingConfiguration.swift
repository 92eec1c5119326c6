/// The hyper-parameters of a training run (OpenCLIP's flags of the same names).
public struct TrainingConfiguration: Sendable, Hashable {
    /// Samples per micro-batch (`--batch-size`); a step takes ``accumulation`` of them.
    public var batchSize: Int
    /// Micro-batches per optimizer step (`--accum-freq`), contrasted together as OpenCLIP does.
    public var accumulation = 1
    /// Optimizer steps in all (`--steps`).
    public var steps: Int
    /// The peak learning rate (`--lr`).
    public var learningRate: Double
    /// Linear warmup steps (`--warmup`).
    public var warmupSteps: Int
    /// Weight decay of the decayed group (`--wd`).
    public var weightDecay: Double
    /// AdamW's β₁ (`--beta1`).
    public var beta1: Double
    /// AdamW's β₂ (`--beta2`).
    public var beta2: Double
    /// AdamW's ε (`--eps`).
    public var epsilon: Double
    /// The global gradient-norm clip (`--grad-clip-norm`), or `nil` for none.
    public var gradientClipNorm: Double?
    /// The seed of the initialisation, data order and augmentation (`--seed`).
    public var seed: UInt64
    /// Whether samples come in shard order without shuffling (`--sequential`).
    public var sequential: Bool
    /// Whether shards are drawn with replacement (`--dataset-resampled`, as DataComp trains).
    public var resampled = false
    /// Whether the training augmentation is applied (`false`: `--no-augment`).
    public var augments: Bool
    /// Steps between checkpoints (the last step always writes one).
    public var checkpointInterval: Int

    /// Creates a configuration with OpenCLIP's defaults for a model: lr 5e-4, weight decay 0.2,
    /// β₁ 0.9 and, for ViT towers, β₂ 0.98 and ε 1e-6 (otherwise 0.999 and 1e-8).
    ///
    /// - Parameters:
    ///   - model: The model config (chooses β₂ and ε).
    ///   - batchSize: Samples per step.
    ///   - steps: Steps in all.
    ///   - warmupSteps: Warmup steps.
    ///   - seed: The seed.
    public init(for model: CLIPConfiguration, batchSize: Int, steps: Int, warmupSteps: Int, seed: UInt64 = 0) {
        let optimizer = AdamW.openCLIPDefaults(for: model)
        self.batchSize = batchSize
        self.steps = steps
        self.learningRate = 5e-4
        self.warmupSteps = warmupSteps
        self.weightDecay = 0.2
        self.beta1 = optimizer.betas.0
        self.beta2 = optimizer.betas.1
        self.epsilon = optimizer.epsilon
        self.gradientClipNorm = nil
        self.seed = seed
        self.sequential = false
        self.augments = true
        self.checkpointInterval = 100
    }
}
