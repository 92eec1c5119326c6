import Foundation

/// The activations of CLIP's MLPs, in place.
package enum ActivationKernel {
    /// PyTorch's exact GELU: `0.5 · x · (1 + erf(x / √2))` (not the tanh approximation).
    package static func gelu(_ values: UnsafeMutableBufferPointer<Float>) {
        for index in values.indices {
            let x = values[index]
            values[index] = 0.5 * x * (1 + erff(x * 0.70710678118654752))
        }
    }

    /// OpenAI's QuickGELU: `x · σ(1.702 · x)`.
    package static func quickGELU(_ values: UnsafeMutableBufferPointer<Float>) {
        for index in values.indices {
            let x = values[index]
            values[index] = x / (1 + expf(-1.702 * x))
        }
    }
}
