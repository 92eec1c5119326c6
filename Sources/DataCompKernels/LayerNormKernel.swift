/// Layer normalisation over the last dimension, as PyTorch's `nn.LayerNorm`: biased variance,
/// `eps` inside the square root, affine weight and bias.
package enum LayerNormKernel {
    /// Normalises each of `rows` rows of `width` values: `(x − mean) / sqrt(var + eps) · weight + bias`.
    ///
    /// - Parameters:
    ///   - input: `rows × width` values.
    ///   - output: `rows × width` values; may be `input`.
    ///   - rows: The number of rows.
    ///   - width: Values per row.
    ///   - weight: `width` scales.
    ///   - bias: `width` offsets.
    ///   - epsilon: Added to the variance (1e-5 in CLIP).
    ///   - means: Where to store each row's mean for a backward pass, if wanted.
    ///   - inverseDeviations: Where to store each row's `1 / sqrt(var + eps)`, if wanted.
    package static func forward(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float = 1e-5,
        means: UnsafeMutablePointer<Float>? = nil, inverseDeviations: UnsafeMutablePointer<Float>? = nil
    ) {
        for row in 0..<rows {
            let x = input + row * width
            let y = output + row * width
            // Two-pass mean and variance in double, then the affine map in float.
            var sum = 0.0
            for i in 0..<width { sum += Double(x[i]) }
            let mean = sum / Double(width)
            var squares = 0.0
            for i in 0..<width {
                let d = Double(x[i]) - mean
                squares += d * d
            }
            let inverse = Float(1 / (squares / Double(width) + Double(epsilon)).squareRoot())
            let meanFloat = Float(mean)
            for i in 0..<width { y[i] = (x[i] - meanFloat) * inverse * weight[i] + bias[i] }
            means?[row] = meanFloat
            inverseDeviations?[row] = inverse
        }
    }

    /// ``forward(_:into:rows:width:weight:bias:epsilon:means:inverseDeviations:)`` on buffers.
    ///
    /// - Precondition: Each buffer holds `rows × width` values (`width` for weight and bias).
    package static func forward(
        _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rows: Int, width: Int,
        weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>, epsilon: Float = 1e-5
    ) {
        precondition(input.count >= rows * width && output.count >= rows * width, "layer norm buffers are too small")
        precondition(weight.count >= width && bias.count >= width, "layer norm parameters are too small")
        guard rows > 0, width > 0, let x = input.baseAddress, let y = output.baseAddress, let w = weight.baseAddress,
            let b = bias.baseAddress
        else { return }
        forward(x, into: y, rows: rows, width: width, weight: w, bias: b, epsilon: epsilon)
    }
}
