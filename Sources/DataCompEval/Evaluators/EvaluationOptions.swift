/// How an evaluation runs: batch size, parallelism, progress and the bootstrap of its
/// confidence interval.
public struct EvaluationOptions: Sendable {
    /// Images (and prompts) encoded per batch; DataComp's `--batch_size` (64).
    public var batchSize: Int
    /// How many images are decoded and preprocessed at once.
    public var concurrency: ConcurrencyBudget
    /// Bootstrap resamples of the main metric's 95% interval; 0 skips the interval.
    public var bootstrapResamples: Int
    /// The seed of the bootstrap.
    public var bootstrapSeed: UInt64
    /// Where progress goes (for example a `TerminalProgressReporter`).
    public var progress: any ProgressReporter

    /// Creates options.
    ///
    /// - Parameters:
    ///   - batchSize: Images per batch (64, as DataComp).
    ///   - concurrency: How many images are decoded at once.
    ///   - bootstrapResamples: Resamples of the confidence interval (1,000; 0 for none).
    ///   - bootstrapSeed: The bootstrap's seed.
    ///   - progress: Where progress goes.
    public init(
        batchSize: Int = 64, concurrency: ConcurrencyBudget = .machine, bootstrapResamples: Int = 1000,
        bootstrapSeed: UInt64 = 0, progress: any ProgressReporter = SilentProgressReporter()
    ) {
        self.batchSize = max(1, batchSize)
        self.concurrency = concurrency
        self.bootstrapResamples = max(0, bootstrapResamples)
        self.bootstrapSeed = bootstrapSeed
        self.progress = progress
    }
}
