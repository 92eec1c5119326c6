/// The contrastive loss of a batch and the gradient of every parameter, by OpenCLIP's names.
public struct CLIPGradients: Sendable {
    /// OpenCLIP's `ClipLoss` of the batch: the mean of the image→text and text→image
    /// cross-entropies of `exp(logit_scale) · I · Tᵀ` with the diagonal as labels.
    public var loss: Float
    /// The gradients, by parameter name (parameters only: no BatchNorm statistics).
    public var values: [String: Tensor]
    /// A ModifiedResNet's BatchNorm running statistics after this batch, by name.
    ///
    /// `running_mean` and `running_var` with momentum 0.1 and the unbiased variance, as PyTorch's
    /// train mode updates them; empty for a ViT. Apply them with
    /// ``CLIPParameters/applyRunningStatistics(_:passes:)`` after the optimizer step.
    public var runningStatistics: [String: Tensor] = [:]
    /// How many training-mode forward passes folded into ``runningStatistics`` (1, or twice the
    /// micro-batches with accumulation), for `num_batches_tracked`.
    public var runningStatisticsPasses = 1

    /// The gradient of a parameter.
    public subscript(name: String) -> Tensor? { values[name] }
}
