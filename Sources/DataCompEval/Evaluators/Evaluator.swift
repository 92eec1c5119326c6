/// Evaluates an encoder on one task.
///
/// Each evaluator holds its task and data; ``evaluate(encoder:options:)`` takes any
/// `ImageTextEncoder` (a trained CLIP, a wrapper around another runtime, or fixed embeddings),
/// so evaluation does not depend on how the model was made. Get the evaluator DataComp would
/// use for a task with ``EvaluationSuite/evaluator(for:)``.
///
/// ```swift
/// let suite = EvaluationSuite(dataDirectory: "/data/evalsets")
/// let evaluator = try suite.evaluator(for: EvaluationTask.named("cifar10")!)
/// let outcome = try await evaluator.evaluate(encoder: encoder, options: EvaluationOptions())
/// print(outcome.metrics["acc1"] ?? nil)
/// ```
public protocol Evaluator: Sendable {
    /// The task this evaluator computes.
    var task: EvaluationTask { get }

    /// Encodes the task's images and texts and computes its metrics.
    ///
    /// - Parameters:
    ///   - encoder: The model.
    ///   - options: Batch size, parallelism, progress and bootstrap.
    /// - Returns: The metrics (with `main_metric`), the interval and timings.
    /// - Throws: `DataCompError` for unreadable data or a failing encoder.
    func evaluate(encoder: any ImageTextEncoder, options: EvaluationOptions) async throws -> TaskEvaluation
}
