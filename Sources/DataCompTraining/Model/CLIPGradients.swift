/// The contrastive loss of a batch and the gradient of every parameter, by OpenCLIP's names.
public struct CLIPGradients: Sendable {
    /// OpenCLIP's `ClipLoss` of the batch: the mean of the image→text and text→image
    /// cross-entropies of `exp(logit_scale) · I · Tᵀ` with the diagonal as labels.
    public var loss: Float
    /// The gradients, by parameter name (parameters only: no BatchNorm statistics).
    public var values: [String: Tensor]

    /// The gradient of a parameter.
    public subscript(name: String) -> Tensor? { values[name] }
}
