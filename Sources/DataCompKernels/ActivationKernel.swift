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

extension ActivationKernel {
    /// A residual connection followed by ReLU, in place: `values[i] = max(values[i] + residual[i], 0)`.
    ///
    /// - Precondition: The buffers have the same length.
    package static func addReLU(
        _ values: UnsafeMutableBufferPointer<Float>, adding residual: UnsafeBufferPointer<Float>
    ) {
        precondition(values.count == residual.count, "residual of \(residual.count) values for \(values.count)")
        guard let a = values.baseAddress, let b = residual.baseAddress else { return }
        let zero = SIMD16<Float>()
        var index = 0
        while index + 16 <= values.count {
            var sum =
                UnsafeRawPointer(a + index).loadUnaligned(as: SIMD16<Float>.self)
                + UnsafeRawPointer(b + index).loadUnaligned(as: SIMD16<Float>.self)
            sum.replace(with: zero, where: sum .< zero)
            UnsafeMutableRawPointer(a + index).storeBytes(of: sum, as: SIMD16<Float>.self)
            index += 16
        }
        while index < values.count {
            a[index] = max(a[index] + b[index], 0)
            index += 1
        }
    }

    /// ReLU's backward pass in place: the gradient is zeroed where the forward output was not
    /// positive (PyTorch's `threshold_backward` at 0).
    ///
    /// - Precondition: The buffers have the same length.
    package static func reluBackward(_ gradient: UnsafeMutableBufferPointer<Float>, output: UnsafeBufferPointer<Float>)
    {
        precondition(gradient.count == output.count, "ReLU gradient of \(gradient.count) values for \(output.count)")
        guard let g = gradient.baseAddress, let y = output.baseAddress else { return }
        let zero = SIMD16<Float>()
        var index = 0
        while index + 16 <= gradient.count {
            var lanes = UnsafeRawPointer(g + index).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: zero, where: UnsafeRawPointer(y + index).loadUnaligned(as: SIMD16<Float>.self) .<= zero)
            UnsafeMutableRawPointer(g + index).storeBytes(of: lanes, as: SIMD16<Float>.self)
            index += 16
        }
        while index < gradient.count {
            if y[index] <= 0 { g[index] = 0 }
            index += 1
        }
    }
}
