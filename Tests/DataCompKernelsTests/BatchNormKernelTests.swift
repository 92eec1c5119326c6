import Testing

@testable import DataCompKernels

/// BatchNorm of one channel against a `Double` evaluation of PyTorch's formulas
/// (`batch_norm_kernel.cpp`: training-mode statistics, `x · α + β`, and the backward pass).
@Suite struct BatchNormKernelTests {
    /// Deterministic values in [1, 5), so that centring matters.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 4 + 1
        }
    }

    @Test(
        "Statistics are PyTorch's: Double sums, the mean and squared deviations rounded to Float",
        arguments: [1, 15, 16, 17, 1_100, 33_000])
    func statistics(count: Int) {
        let x = Self.values(count, seed: UInt64(count))
        let mean = Float(x.reduce(0.0) { $0 + Double($1) } / Double(count))
        let squares = Float(x.reduce(0.0) { $0 + Double(($1 - mean) * ($1 - mean)) })
        let ours = x.withUnsafeBufferPointer { BatchNormKernel.statistics($0) }
        // Only the order of the Double sums differs: equal after rounding to Float, or one ulp.
        #expect(abs(ours.mean - mean) <= mean.ulp)
        #expect(abs(ours.squares - squares) <= squares.ulp)
        let inverse = Float(1 / (Double(squares) / Double(count) + 1e-5).squareRoot())
        #expect(abs(ours.inverse - inverse) <= inverse.ulp)
        #expect(abs(ours.unbiasedVariance - Float(Double(squares) / Double(max(count - 1, 1)))) <= squares.ulp)
    }

    @Test(
        "The output, the fused ReLU and the backward pass follow PyTorch's formulas",
        arguments: [(37, false), (37, true), (2_051, true)])
    func normalizeAndBackward(count: Int, relu: Bool) {
        let x = Self.values(count, seed: 7)
        let dy = Self.values(count, seed: 11).map { $0 - 3 }
        let (weight, bias): (Float, Float) = (0.7, relu ? 0.1 : -0.4)
        let statistics = x.withUnsafeBufferPointer { BatchNormKernel.statistics($0) }
        let (mean, inverse) = (statistics.mean, statistics.inverse)
        var output = [Float](repeating: .nan, count: count)
        x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { o in
                BatchNormKernel.normalize(
                    input, mean: mean, inverse: inverse, weight: weight, bias: bias, relu: relu,
                    output: o.baseAddress!)
            }
        }
        // y = x·α + β with α = inverse·γ, β = bias − mean·α, in Float as PyTorch.
        let alpha = inverse * weight
        let beta = bias - mean * alpha
        var g = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let y = x[i] * alpha + beta
            #expect(output[i] == (relu ? max(y, 0) : y))
            g[i] = relu && output[i] <= 0 ? 0 : Double(dy[i])
        }
        // dx = (g − Σg/n − (x − mean)·k)·inverse·γ with k = Σ(x − mean)·g · inverse² / n.
        let sumG = g.reduce(0, +)
        let dot = (0..<count).reduce(0.0) { $0 + Double(x[$1] - mean) * g[$1] }
        var dx = [Float](repeating: .nan, count: count)
        let (dWeight, dBias) = dy.withUnsafeBufferPointer { d in
            x.withUnsafeBufferPointer { input in
                dx.withUnsafeMutableBufferPointer { out in
                    BatchNormKernel.backward(
                        d, input: input.baseAddress!, mean: mean, inverse: inverse, weight: weight, bias: bias,
                        relu: relu, inputGradient: out.baseAddress!)
                }
            }
        }
        let (n, r, w) = (Double(count), Double(inverse), Double(weight))
        #expect(abs(Double(dWeight) - dot * r) <= 1e-4 * max(1, abs(dot * r)))
        #expect(abs(Double(dBias) - sumG) <= 1e-4 * max(1, abs(sumG)))
        for i in 0..<count {
            let expected = (g[i] - sumG / n - Double(x[i] - mean) * dot * r * r / n) * r * w
            #expect(abs(Double(dx[i]) - expected) <= 1e-5, "dx[\(i)]")
        }
    }
}
