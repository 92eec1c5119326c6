/// BatchNorm over one channel at a time: the channel's values over every image and position,
/// contiguous in channel-major activations (`[channels, images, height, width]`).
///
/// The arithmetic is PyTorch's CPU kernel's for `float` tensors (`batch_norm_kernel.cpp`):
/// statistics summed in `Double` and rounded to `Float`, the output as `x · α + β`, and the
/// backward pass from `Σ g` and `Σ (x − mean)·g`. Sums run over 16 `Float` lanes folded into a
/// `Double` every 1,024 values. The affine step is computed by one function in the forward and
/// the backward pass, so a fused ReLU's mask in backward is exactly the forward output's sign.
package enum BatchNormKernel {
    /// A channel's batch statistics as PyTorch's CPU kernel forms them for `float` input: the
    /// mean rounded to `Float`, the sum of squared deviations `Σ (x − mean)²` (each term in
    /// `Float`) rounded to `Float`, and `1 / √(Σ / n + eps)` rounded to `Float`.
    package struct Statistics: Sendable, Hashable {
        /// The mean.
        package var mean: Float
        /// `Σ (x − mean)²`.
        package var squares: Float
        /// `1 / √(squares / n + eps)`, the biased variance's inverse standard deviation.
        package var inverse: Float
        /// `squares / (n − 1)`, what PyTorch folds into `running_var` (`squares` when n = 1).
        package var unbiasedVariance: Float

        /// Creates statistics from their values.
        package init(mean: Float, squares: Float, inverse: Float, unbiasedVariance: Float) {
            (self.mean, self.squares, self.inverse, self.unbiasedVariance) = (mean, squares, inverse, unbiasedVariance)
        }
    }

    /// The statistics of one channel (two passes; sums in `Double`).
    ///
    /// - Parameters:
    ///   - values: One channel's values.
    ///   - epsilon: BatchNorm's eps.
    /// - Returns: The statistics (zeros for no values).
    package static func statistics(_ values: UnsafeBufferPointer<Float>, epsilon: Float = 1e-5) -> Statistics {
        guard let base = values.baseAddress, !values.isEmpty else {
            return Statistics(mean: 0, squares: 0, inverse: 1 / epsilon.squareRoot(), unbiasedVariance: 0)
        }
        let n = values.count
        let mean = Float(sum(base, count: n) { $0 } / Double(n))
        let center = SIMD16<Float>(repeating: mean)
        let squares = Float(
            sum(base, count: n) { chunk in
                let d = chunk - center
                return d * d
            })
        let inverse = Float(1 / (Double(squares) / Double(n) + Double(epsilon)).squareRoot())
        return Statistics(
            mean: mean, squares: squares, inverse: inverse,
            unbiasedVariance: Float(Double(squares) / Double(max(n - 1, 1))))
    }

    /// The affine form PyTorch applies: `output = x · α + β` with `α = inverse · γ` and
    /// `β = bias − mean · α`, clamped at 0 when `relu` is set.
    ///
    /// - Parameters:
    ///   - values: The channel's input.
    ///   - mean: The mean (batch or running).
    ///   - inverse: `1 / √(variance + eps)`.
    ///   - weight: γ.
    ///   - bias: β.
    ///   - relu: Whether a ReLU follows (fused).
    ///   - output: Where the output goes, `values.count` values; may be `values` itself.
    package static func normalize(
        _ values: UnsafeBufferPointer<Float>, mean: Float, inverse: Float, weight: Float, bias: Float, relu: Bool,
        output: UnsafeMutablePointer<Float>
    ) {
        guard let input = values.baseAddress else { return }
        let alpha = inverse * weight
        let beta = bias - mean * alpha
        let (a, b, zero) = (SIMD16<Float>(repeating: alpha), SIMD16<Float>(repeating: beta), SIMD16<Float>())
        var index = 0
        while index + 16 <= values.count {
            var y = affine(UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self), a, b)
            if relu { y.replace(with: zero, where: y .< zero) }
            UnsafeMutableRawPointer(output + index).storeBytes(of: y, as: SIMD16<Float>.self)
            index += 16
        }
        while index < values.count {
            let y = affine(input[index], alpha, beta)
            output[index] = relu && y < 0 ? 0 : y
            index += 1
        }
    }

    /// Backward of one channel normalised with the batch's statistics (training mode), with
    /// an optional fused ReLU after it, in PyTorch's arithmetic.
    ///
    /// With `g` the incoming gradient (zeroed where the fused ReLU's output, recomputed as in
    /// ``normalize(_:mean:inverse:weight:bias:relu:output:)``, was not positive), `Σg` and
    /// `dot = Σ (x − mean)·g`: `k = dot · inverse² / n` and
    /// `dx = (g − Σg / n − (x − mean) · k) · inverse · γ`; `dγ = dot · inverse`, `dβ = Σg`.
    ///
    /// - Parameters:
    ///   - gradient: The gradient with respect to the output (after the ReLU when `relu`).
    ///   - input: The forward pass's input, `gradient.count` values.
    ///   - mean: The batch mean of the forward pass.
    ///   - inverse: Its `1 / √(variance + eps)`.
    ///   - weight: γ.
    ///   - bias: β (for the ReLU mask).
    ///   - relu: Whether a ReLU followed in the forward pass.
    ///   - inputGradient: Where `dx` goes, `gradient.count` values; may be `gradient` itself.
    /// - Returns: `dγ` and `dβ`.
    package static func backward(
        _ gradient: UnsafeBufferPointer<Float>, input: UnsafePointer<Float>, mean: Float, inverse: Float,
        weight: Float, bias: Float, relu: Bool, inputGradient: UnsafeMutablePointer<Float>
    ) -> (weight: Float, bias: Float) {
        guard let dy = gradient.baseAddress, !gradient.isEmpty else { return (0, 0) }
        let count = gradient.count
        let alpha = inverse * weight
        let beta = bias - mean * alpha
        let (a, b, m, zero) = (
            SIMD16<Float>(repeating: alpha), SIMD16<Float>(repeating: beta), SIMD16<Float>(repeating: mean),
            SIMD16<Float>()
        )
        @inline(__always) func load(_ index: Int) -> (g: SIMD16<Float>, centered: SIMD16<Float>) {
            var g = UnsafeRawPointer(dy + index).loadUnaligned(as: SIMD16<Float>.self)
            let x = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self)
            if relu { g.replace(with: zero, where: affine(x, a, b) .<= zero) }
            return (g, x - m)
        }
        @inline(__always) func load(scalar index: Int) -> (g: Float, centered: Float) {
            let x = input[index]
            return (relu && affine(x, alpha, beta) <= 0 ? 0 : dy[index], x - mean)
        }
        // Σ g and Σ (x − mean)·g over 16 lanes, folded into Doubles every 1,024 values.
        var (sumG, dot) = (0.0, 0.0)
        var index = 0
        let whole = count - count % 16
        while index < whole {
            var (lanesG, lanesDot) = (SIMD16<Float>(), SIMD16<Float>())
            let end = min(whole, index + 1024)
            while index < end {
                let (g, centered) = load(index)
                lanesG += g
                lanesDot += centered * g
                index += 16
            }
            sumG += Double(lanesG.sum())
            dot += Double(lanesDot.sum())
        }
        while index < count {
            let (g, centered) = load(scalar: index)
            sumG += Double(g)
            dot += Double(centered * g)
            index += 1
        }
        let k = Float(dot) * inverse * inverse / Float(count)
        let gradientMean = Float(sumG / Double(count))
        let scale = inverse * weight
        let (kk, gm, s) = (
            SIMD16<Float>(repeating: k), SIMD16<Float>(repeating: gradientMean), SIMD16<Float>(repeating: scale)
        )
        index = 0
        while index < whole {
            let (g, centered) = load(index)
            let dx = (g - gm - centered * kk) * s
            UnsafeMutableRawPointer(inputGradient + index).storeBytes(of: dx, as: SIMD16<Float>.self)
            index += 16
        }
        while index < count {
            let (g, centered) = load(scalar: index)
            inputGradient[index] = (g - gradientMean - centered * k) * scale
            index += 1
        }
        return (Float(dot * Double(inverse)), Float(sumG))
    }

    /// `x · a + b`, rounded twice (no fused multiply-add), for lanes and for scalars alike.
    @inline(__always) private static func affine(_ x: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>)
        -> SIMD16<Float>
    {
        x * a + b
    }

    @inline(__always) private static func affine(_ x: Float, _ a: Float, _ b: Float) -> Float {
        x * a + b
    }

    /// `Σ transform(chunk)`, each `Float` term added into `Double` lanes (as PyTorch's
    /// `Double` accumulator for `float` statistics).
    @inline(__always) private static func sum(
        _ base: UnsafePointer<Float>, count: Int, _ transform: (SIMD16<Float>) -> SIMD16<Float>
    ) -> Double {
        var (low, high) = (SIMD8<Double>(), SIMD8<Double>())
        var index = 0
        while index + 16 <= count {
            let terms = transform(UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<Float>.self))
            low += SIMD8<Double>(terms.lowHalf)
            high += SIMD8<Double>(terms.highHalf)
            index += 16
        }
        var total = (low + high).sum()
        // The tail, through the same transform in lane 0.
        while index < count {
            var chunk = SIMD16<Float>()
            chunk[0] = base[index]
            total += Double(transform(chunk)[0])
            index += 1
        }
        return total
    }
}
