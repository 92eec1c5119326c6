internal import DataCompKernels

/// The forward pass of OpenCLIP's pre-norm transformer blocks (`ResidualAttentionBlock`) on
/// row-major `[batch · length, width]` activations, in place.
struct TransformerForward {
    let parameters: CLIPParameters
    let prefix: String
    let layers: Int
    let width: Int
    let heads: Int
    let hidden: Int
    let quickGELU: Bool
    /// Whether keys after the query are masked (the text tower's causal mask).
    let causal: Bool

    /// Runs every block on `x` (`batch` sequences of `length` tokens).
    func run(_ x: inout [Float], batch: Int, length: Int) {
        let rows = batch * length
        var normed = [Float](repeating: 0, count: rows * width)
        var qkv = [Float](repeating: 0, count: rows * 3 * width)
        var attended = [Float](repeating: 0, count: rows * width)
        var scores = [Float](repeating: 0, count: length * length)
        var hiddenValues = [Float](repeating: 0, count: rows * hidden)
        for layer in 0..<layers {
            let p = "\(prefix).\(layer)."
            // x += out_proj(attention(ln_1(x)))
            Self.layerNorm(x, into: &normed, rows: rows, width: width, parameters: parameters, name: p + "ln_1")
            Self.linear(
                normed, rows: rows, inputs: width, weight: parameters.values(p + "attn.in_proj_weight"),
                bias: parameters.values(p + "attn.in_proj_bias"), outputs: 3 * width, into: &qkv)
            attend(qkv, into: &attended, scores: &scores, batch: batch, length: length)
            Self.linear(
                attended, rows: rows, inputs: width, weight: parameters.values(p + "attn.out_proj.weight"),
                bias: parameters.values(p + "attn.out_proj.bias"), outputs: width, into: &normed)
            for index in 0..<(rows * width) { x[index] += normed[index] }
            // x += c_proj(act(c_fc(ln_2(x))))
            Self.layerNorm(x, into: &normed, rows: rows, width: width, parameters: parameters, name: p + "ln_2")
            Self.linear(
                normed, rows: rows, inputs: width, weight: parameters.values(p + "mlp.c_fc.weight"),
                bias: parameters.values(p + "mlp.c_fc.bias"), outputs: hidden, into: &hiddenValues)
            hiddenValues.withUnsafeMutableBufferPointer { values in
                if quickGELU { ActivationKernel.quickGELU(values) } else { ActivationKernel.gelu(values) }
            }
            Self.linear(
                hiddenValues, rows: rows, inputs: hidden, weight: parameters.values(p + "mlp.c_proj.weight"),
                bias: parameters.values(p + "mlp.c_proj.bias"), outputs: width, into: &normed)
            for index in 0..<(rows * width) { x[index] += normed[index] }
        }
    }

    /// Multi-head attention of packed `[Q | K | V]` rows: per sequence and head,
    /// `softmax(q·kᵀ / √h + mask) · v`, heads concatenated in order.
    private func attend(_ qkv: [Float], into attended: inout [Float], scores: inout [Float], batch: Int, length: Int) {
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let stride = 3 * width
        qkv.withUnsafeBufferPointer { qkv in
            attended.withUnsafeMutableBufferPointer { out in
                scores.withUnsafeMutableBufferPointer { scores in
                    for sequence in 0..<batch {
                        for head in 0..<heads {
                            let start = sequence * length * stride + head * headWidth
                            let q = MatrixView(
                                qkv, offset: start, rows: length, columns: headWidth, leadingDimension: stride)
                            let k = MatrixView(
                                qkv, offset: start + width, rows: length, columns: headWidth, leadingDimension: stride)
                            let v = MatrixView(
                                qkv, offset: start + 2 * width, rows: length, columns: headWidth,
                                leadingDimension: stride)
                            let s = MutableMatrixView(scores, rows: length, columns: length)
                            GEMM.multiply(q, k, into: s, transposeB: true, alpha: scale)
                            if causal {
                                for row in 0..<length {
                                    for column in (row + 1)..<length { scores[row * length + column] = -.infinity }
                                }
                            }
                            SoftmaxKernel.rows(scores, rows: length, width: length)
                            let output = MutableMatrixView(
                                out, offset: sequence * length * width + head * headWidth, rows: length,
                                columns: headWidth, leadingDimension: width)
                            GEMM.multiply(s.readOnly, v, into: output)
                        }
                    }
                }
            }
        }
    }

    /// `output = layer_norm(input)` with the parameters `name.weight` and `name.bias`.
    static func layerNorm(
        _ input: [Float], into output: inout [Float], rows: Int, width: Int, parameters: CLIPParameters, name: String
    ) {
        let weight = parameters.values(name + ".weight")
        let bias = parameters.values(name + ".bias")
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        LayerNormKernel.forward(x, into: y, rows: rows, width: width, weight: w, bias: b)
                    }
                }
            }
        }
    }

    /// `output = input · weightᵀ + bias` for a `[outputs, inputs]` weight.
    static func linear(
        _ input: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float], outputs: Int,
        into output: inout [Float]
    ) {
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    for row in 0..<rows {
                        for column in 0..<outputs { y[row * outputs + column] = bias[column] }
                    }
                    GEMM.multiply(
                        MatrixView(x, rows: rows, columns: inputs), MatrixView(w, rows: outputs, columns: inputs),
                        into: MutableMatrixView(y, rows: rows, columns: outputs), transposeB: true, beta: 1)
                }
            }
        }
    }

    /// `output = input · matrix` for a `[inputs, outputs]` matrix (`visual.proj`, `text_projection`).
    static func project(_ input: [Float], rows: Int, inputs: Int, matrix: [Float], outputs: Int) -> [Float] {
        var output = [Float](repeating: 0, count: rows * outputs)
        input.withUnsafeBufferPointer { x in
            matrix.withUnsafeBufferPointer { m in
                output.withUnsafeMutableBufferPointer { y in
                    GEMM.multiply(
                        MatrixView(x, rows: rows, columns: inputs), MatrixView(m, rows: inputs, columns: outputs),
                        into: MutableMatrixView(y, rows: rows, columns: outputs))
                }
            }
        }
        return output
    }
}
