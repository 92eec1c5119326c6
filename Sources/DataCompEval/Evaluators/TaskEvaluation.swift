/// The outcome of evaluating one task: DataComp's metrics and what DataComp does not report.
public struct TaskEvaluation: Sendable, Equatable {
    /// The task.
    public var task: EvaluationTask
    /// The metrics as DataComp writes them, `main_metric` last.
    public var metrics: EvaluationMetrics
    /// The 95% bootstrap interval of the main metric, if computed.
    public var interval: ConfidenceInterval?
    /// The number of test samples (images, or instances for WinoGAViL) evaluated.
    public var sampleCount: Int
    /// Wall-clock seconds.
    public var seconds: Double

    /// Creates an outcome.
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - metrics: The metrics, `main_metric` included.
    ///   - interval: The main metric's interval.
    ///   - sampleCount: Samples evaluated.
    ///   - seconds: Wall-clock seconds.
    public init(
        task: EvaluationTask, metrics: EvaluationMetrics, interval: ConfidenceInterval?, sampleCount: Int,
        seconds: Double
    ) {
        self.task = task
        self.metrics = metrics
        self.interval = interval
        self.sampleCount = sampleCount
        self.seconds = seconds
    }

    /// The main metric's value, if the task has one.
    public var mainMetric: Double? { metrics.mainMetric }

    /// The row of `eval_results.jsonl` for this task.
    public var result: EvaluationResult {
        EvaluationResult(key: task.key, dataset: task.name, metrics: metrics)
    }
}
