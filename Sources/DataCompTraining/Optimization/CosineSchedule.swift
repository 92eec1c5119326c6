import Foundation

/// OpenCLIP's `cosine_lr` schedule: linear warmup, then cosine decay to 0.
///
/// The step is 0-based and the rate is set before each update, as `train_one_epoch` does:
/// during warmup `base · (step + 1) / warmup` (so step 0 already uses `base / warmup`), then
/// `½ · (1 + cos(π · (step − warmup) / (total − warmup))) · base`.
///
/// ```swift
/// let schedule = CosineSchedule(baseLearningRate: 5e-4, warmupSteps: 500, totalSteps: 3140)
/// print(schedule.learningRate(at: 0))   // 1e-6
/// ```
public struct CosineSchedule: Sendable, Hashable {
    /// The peak learning rate (`--lr`).
    public var baseLearningRate: Double
    /// Steps of linear warmup (`--warmup`).
    public var warmupSteps: Int
    /// The total number of steps the cosine spans.
    public var totalSteps: Int

    /// Creates a schedule.
    ///
    /// - Parameters:
    ///   - baseLearningRate: The peak learning rate.
    ///   - warmupSteps: Steps of linear warmup.
    ///   - totalSteps: Steps in all.
    public init(baseLearningRate: Double, warmupSteps: Int, totalSteps: Int) {
        self.baseLearningRate = baseLearningRate
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(1, totalSteps)
    }

    /// The learning rate of a 0-based step.
    ///
    /// - Parameter step: The step about to be taken.
    /// - Returns: The rate.
    public func learningRate(at step: Int) -> Double {
        if step < warmupSteps { return baseLearningRate * Double(step + 1) / Double(warmupSteps) }
        let elapsed = Double(step - warmupSteps)
        let span = Double(totalSteps - warmupSteps)
        return 0.5 * (1 + cos(Double.pi * elapsed / span)) * baseLearningRate
    }
}
