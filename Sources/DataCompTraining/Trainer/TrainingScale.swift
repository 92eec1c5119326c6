/// A fixed training budget: DataComp's competition scales (`scale_configs.py`) and CPU-sized
/// scales of our own.
///
/// DataComp fixes, per scale, the model, the global batch, the peak learning rate, the warmup
/// and the number of samples seen; everything else is OpenCLIP's default (AdamW with β₁ 0.9,
/// β₂ 0.98 and ε 1e-6 for ViTs, weight decay 0.2, cosine schedule). Only `xlarge` changes β₂
/// (0.95).
///
/// ```swift
/// let scale = try TrainingScale.named("small")
/// print(scale.model, scale.batchSize, scale.steps().total)   // ViT-B-32 4096 3140
/// ```
public struct TrainingScale: Sendable, Hashable {
    /// The scale's name (`debug`, `small`, …, `mini`).
    public var name: String
    /// The model, an OpenCLIP config name (``CLIPConfiguration/named(_:)``).
    public var model: String
    /// The global batch size.
    public var batchSize: Int
    /// The peak learning rate.
    public var learningRate: Double
    /// Linear warmup steps (for the CPU scales: a fraction of the steps, computed in
    /// ``steps(checkpoints:workers:worldSize:accumulation:)``).
    public var warmupSteps: Int
    /// The samples seen in all (DataComp: equal to the pool size).
    public var samplesSeen: Int
    /// β₂ when it differs from OpenCLIP's default for the model (`xlarge`: 0.95).
    public var beta2: Double?
    /// The weight decay (OpenCLIP's default 0.2 for DataComp's scales).
    public var weightDecay: Double
    /// Whether this is a DataComp competition scale (trained by OpenCLIP on GPUs with its
    /// epoch and worker rounding) rather than one of our CPU scales.
    public var isDataComp: Bool
    /// Whether the training augmentation is applied (DataComp: yes; the miniature scales: no).
    public var augments: Bool

    /// DataComp's `debug` scale: ViT-B-32, batch 1,024, lr 1e-4, 500 warmup steps, 128k samples.
    public static let debug = TrainingScale(
        name: "debug", model: "ViT-B-32", batchSize: 1024, learningRate: 1e-4, warmupSteps: 500, samplesSeen: 128_000)
    /// DataComp's `small` scale: ViT-B-32, batch 4,096, lr 5e-4, 500 warmup steps, 12.8M samples.
    public static let small = TrainingScale(
        name: "small", model: "ViT-B-32", batchSize: 4096, learningRate: 5e-4, warmupSteps: 500,
        samplesSeen: 12_800_000)
    /// DataComp's `medium` scale: ViT-B-32, batch 4,096, lr 5e-4, 500 warmup steps, 128M samples.
    public static let medium = TrainingScale(
        name: "medium", model: "ViT-B-32", batchSize: 4096, learningRate: 5e-4, warmupSteps: 500,
        samplesSeen: 128_000_000)
    /// DataComp's `large` scale: ViT-B-16, batch 8,192, lr 5e-4, 500 warmup steps, 1.28B samples.
    public static let large = TrainingScale(
        name: "large", model: "ViT-B-16", batchSize: 8192, learningRate: 5e-4, warmupSteps: 500,
        samplesSeen: 1_280_000_000)
    /// DataComp's `xlarge` scale: ViT-L-14, batch 90,112, lr 1e-3, 10,000 warmup steps, 12.8B
    /// samples, β₂ 0.95.
    public static let xlarge = TrainingScale(
        name: "xlarge", model: "ViT-L-14", batchSize: 90_112, learningRate: 1e-3, warmupSteps: 10_000,
        samplesSeen: 12_800_000_000, beta2: 0.95)
    /// The miniature DataComp's student run on a 2-core CPU: the width-16 ModifiedResNet
    /// `mini-RN`, batch 128, lr 2e-3, weight decay 0.1, β₂ 0.98, 60,000 samples (468 steps), 10%
    /// warmup, no augmentation.
    ///
    /// Compute: 468 forward and backward passes of 128 images of 32 × 32 and captions of 20
    /// tokens. A whole run takes about 46 s on a 2-core machine (about 1,350 samples/s at steady
    /// state, 220 MB peak memory).
    public static let mini = TrainingScale(
        name: "mini", model: "mini-RN", batchSize: 128, learningRate: 2e-3, warmupSteps: 0, samplesSeen: 60_000,
        beta2: 0.98, weightDecay: 0.1, isDataComp: false, augments: false)
    /// The miniature DataComp's teacher (the CLIP-score model trained on clean data): as
    /// ``mini`` with 100,000 samples (781 steps), about 78 s on a 2-core machine.
    public static let miniTeacher = TrainingScale(
        name: "mini-teacher", model: "mini-RN", batchSize: 128, learningRate: 2e-3, warmupSteps: 0,
        samplesSeen: 100_000, beta2: 0.98, weightDecay: 0.1, isDataComp: false, augments: false)

    /// DataComp's five scales, smallest first.
    public static let dataComp: [TrainingScale] = [.debug, .small, .medium, .large, .xlarge]
    /// Every scale: DataComp's five, then the CPU scales.
    public static let all: [TrainingScale] = dataComp + [.mini, .miniTeacher]

    /// Creates a scale.
    ///
    /// - Parameters:
    ///   - name: The name.
    ///   - model: An OpenCLIP config name.
    ///   - batchSize: The global batch size.
    ///   - learningRate: The peak learning rate.
    ///   - warmupSteps: Warmup steps (0 with a CPU scale: 10% of the steps).
    ///   - samplesSeen: Samples seen in all.
    ///   - beta2: β₂ if not the model's default.
    ///   - weightDecay: The weight decay.
    ///   - isDataComp: Whether OpenCLIP's epoch rounding applies.
    ///   - augments: Whether the training augmentation is applied.
    public init(
        name: String, model: String, batchSize: Int, learningRate: Double, warmupSteps: Int, samplesSeen: Int,
        beta2: Double? = nil, weightDecay: Double = 0.2, isDataComp: Bool = true, augments: Bool = true
    ) {
        self.name = name
        self.model = model
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
        self.samplesSeen = samplesSeen
        self.beta2 = beta2
        self.weightDecay = weightDecay
        self.isDataComp = isDataComp
        self.augments = augments
    }

    /// A scale by name.
    ///
    /// - Parameter name: One of `debug`, `small`, `medium`, `large`, `xlarge`, `mini`,
    ///   `mini-teacher`.
    /// - Returns: The scale.
    /// - Throws: `DataCompError` with code `invalidArgument` listing the names.
    public static func named(_ name: String) throws -> TrainingScale {
        guard let scale = all.first(where: { $0.name == name }) else {
            throw DataCompError(
                .invalidArgument,
                "no training scale \"\(name)\"; use one of \(all.map(\.name).joined(separator: ", "))")
        }
        return scale
    }

    /// The optimizer steps of the scale.
    ///
    /// DataComp's `train.py` runs OpenCLIP for `checkpoints` epochs of `samplesSeen /
    /// checkpoints` samples each, and OpenCLIP rounds each epoch to
    /// `ceil(ceil(samples / global batch) / workers) · workers` batches, where the global batch is
    /// `batchSize / (worldSize · accumulation)` per process (integer division) times
    /// `worldSize`; the schedule's total is `batches / accumulation · epochs`. A CPU scale takes
    /// `samplesSeen / batchSize` steps in one epoch, with 10% of them as warmup.
    ///
    /// - Parameters:
    ///   - checkpoints: DataComp's `--num_checkpoints` (default 5).
    ///   - workers: Data-loader workers per process (`--workers`, default 4).
    ///   - worldSize: The number of processes (GPUs).
    ///   - accumulation: Gradient accumulation (`--accum-freq`).
    /// - Returns: Batches per epoch, optimizer steps in all, samples actually seen, and warmup.
    public func steps(checkpoints: Int = 5, workers: Int = 4, worldSize: Int = 1, accumulation: Int = 1) -> (
        perEpoch: Int, total: Int, samples: Int, warmup: Int
    ) {
        guard isDataComp else {
            let total = samplesSeen / batchSize
            return (total, total, total * batchSize, warmupSteps > 0 ? warmupSteps : total / 10)
        }
        let perProcess = batchSize / (max(worldSize, 1) * max(accumulation, 1))
        let globalBatch = perProcess * max(worldSize, 1)
        let epochSamples = samplesSeen / max(checkpoints, 1)
        let batches = (epochSamples + globalBatch - 1) / globalBatch
        let workerBatches = (batches + max(workers, 1) - 1) / max(workers, 1)
        let perEpoch = workerBatches * max(workers, 1)
        let total = perEpoch / max(accumulation, 1) * max(checkpoints, 1)
        return (perEpoch, total, perEpoch * globalBatch * max(checkpoints, 1), warmupSteps)
    }

    /// The native trainer's configuration for this scale: its batch, learning rate, warmup,
    /// weight decay, β₂ and augmentation, and ``steps(checkpoints:workers:worldSize:accumulation:)``
    /// steps (with DataComp's defaults for DataComp scales).
    ///
    /// - Parameters:
    ///   - configuration: The model config (the scale's ``model``, or a replacement).
    ///   - seed: The seed.
    /// - Returns: The configuration.
    public func trainingConfiguration(for configuration: CLIPConfiguration, seed: UInt64 = 0)
        -> TrainingConfiguration
    {
        let plan = steps()
        var training = TrainingConfiguration(
            for: configuration, batchSize: batchSize, steps: plan.total, warmupSteps: plan.warmup, seed: seed)
        training.learningRate = learningRate
        training.weightDecay = weightDecay
        if let beta2 { training.beta2 = beta2 }
        if !isDataComp {
            training.epsilon = 1e-6
            training.beta1 = 0.9
        }
        training.augments = augments
        return training
    }
}
