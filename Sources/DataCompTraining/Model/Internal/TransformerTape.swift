internal import DataCompKernels
import Foundation

/// OpenCLIP's transformer blocks with the activations kept for a backward pass.
///
/// `forward` runs the blocks as ``TransformerForward`` does and records, per block, what the
/// gradients need: the block input, the layer norms' outputs and statistics, the packed QKV
/// projections, the attention probabilities, the attended values, the MLP's pre-activation and
/// activation. `backward` then turns the gradient of the blocks' output into the gradient of
/// their input and adds every parameter's gradient to a ``GradientStore``.
struct TransformerTape {
    struct Block {
        var input: [Float] = []
        var normed1: [Float] = []
        var inverse1: [Float] = []
        var qkv: [Float] = []
        var probabilities: [Float] = []
        var attended: [Float] = []
        var middle: [Float] = []
        var normed2: [Float] = []
        var inverse2: [Float] = []
        var preActivation: [Float] = []
        var activated: [Float] = []
    }

    let shape: TransformerForward
    let batch: Int
    let length: Int
    private(set) var blocks: [Block] = []

    init(_ shape: TransformerForward, batch: Int, length: Int) {
        self.shape = shape
        self.batch = batch
        self.length = length
    }

    private var rows: Int { batch * length }
    private var width: Int { shape.width }
    private var headWidth: Int { shape.width / shape.heads }

    /// Runs the blocks on `x` in place, recording activations.
    mutating func forward(_ x: inout [Float]) {
        let parameters = shape.parameters
        blocks = []
        for layer in 0..<shape.layers {
            let p = "\(shape.prefix).\(layer)."
            var block = Block()
            block.input = x
            (block.normed1, block.inverse1) = Self.layerNorm(
                x, rows: rows, width: width, parameters: parameters, name: p + "ln_1")
            block.qkv = [Float](repeating: 0, count: rows * 3 * width)
            TransformerForward.linear(
                block.normed1, rows: rows, inputs: width, weight: parameters.values(p + "attn.in_proj_weight"),
                bias: parameters.values(p + "attn.in_proj_bias"), outputs: 3 * width, into: &block.qkv)
            (block.probabilities, block.attended) = attend(block.qkv)
            var projected = [Float](repeating: 0, count: rows * width)
            TransformerForward.linear(
                block.attended, rows: rows, inputs: width, weight: parameters.values(p + "attn.out_proj.weight"),
                bias: parameters.values(p + "attn.out_proj.bias"), outputs: width, into: &projected)
            for index in 0..<(rows * width) { x[index] += projected[index] }
            block.middle = x
            (block.normed2, block.inverse2) = Self.layerNorm(
                x, rows: rows, width: width, parameters: parameters, name: p + "ln_2")
            block.preActivation = [Float](repeating: 0, count: rows * shape.hidden)
            TransformerForward.linear(
                block.normed2, rows: rows, inputs: width, weight: parameters.values(p + "mlp.c_fc.weight"),
                bias: parameters.values(p + "mlp.c_fc.bias"), outputs: shape.hidden, into: &block.preActivation)
            block.activated = block.preActivation
            block.activated.withUnsafeMutableBufferPointer { values in
                if shape.quickGELU { ActivationKernel.quickGELU(values) } else { ActivationKernel.gelu(values) }
            }
            TransformerForward.linear(
                block.activated, rows: rows, inputs: shape.hidden, weight: parameters.values(p + "mlp.c_proj.weight"),
                bias: parameters.values(p + "mlp.c_proj.bias"), outputs: width, into: &projected)
            for index in 0..<(rows * width) { x[index] += projected[index] }
            blocks.append(block)
        }
    }

    /// Turns the gradient of the blocks' output into the gradient of their input, in place, and
    /// adds the parameters' gradients to `gradients`.
    func backward(_ gradient: inout [Float], into gradients: inout GradientStore) {
        let parameters = shape.parameters
        for layer in stride(from: shape.layers - 1, through: 0, by: -1) {
            let p = "\(shape.prefix).\(layer)."
            let block = blocks[layer]
            // MLP branch: out = middle + c_proj(act(c_fc(ln_2(middle)))).
            let dActivated = Self.linearBackward(
                gradient, input: block.activated, rows: rows, inputs: shape.hidden, outputs: width,
                weight: parameters.values(p + "mlp.c_proj.weight"), weightName: p + "mlp.c_proj.weight",
                biasName: p + "mlp.c_proj.bias", gradients: &gradients)
            var dPre = dActivated
            for index in dPre.indices {
                dPre[index] *= Self.activationDerivative(block.preActivation[index], quick: shape.quickGELU)
            }
            let dNormed2 = Self.linearBackward(
                dPre, input: block.normed2, rows: rows, inputs: width, outputs: shape.hidden,
                weight: parameters.values(p + "mlp.c_fc.weight"), weightName: p + "mlp.c_fc.weight",
                biasName: p + "mlp.c_fc.bias", gradients: &gradients)
            Self.layerNormBackward(
                dNormed2, input: block.middle, inverse: block.inverse2, rows: rows, width: width,
                parameters: parameters,
                name: p + "ln_2", accumulatingInto: &gradient, gradients: &gradients)
            // Attention branch: middle = input + out_proj(attention(ln_1(input))).
            let dAttended = Self.linearBackward(
                gradient, input: block.attended, rows: rows, inputs: width, outputs: width,
                weight: parameters.values(p + "attn.out_proj.weight"), weightName: p + "attn.out_proj.weight",
                biasName: p + "attn.out_proj.bias", gradients: &gradients)
            let dQKV = attentionBackward(dAttended, block: block)
            let dNormed1 = Self.linearBackward(
                dQKV, input: block.normed1, rows: rows, inputs: width, outputs: 3 * width,
                weight: parameters.values(p + "attn.in_proj_weight"), weightName: p + "attn.in_proj_weight",
                biasName: p + "attn.in_proj_bias", gradients: &gradients)
            Self.layerNormBackward(
                dNormed1, input: block.input, inverse: block.inverse1, rows: rows, width: width, parameters: parameters,
                name: p + "ln_1", accumulatingInto: &gradient, gradients: &gradients)
        }
    }

    // MARK: Attention

    /// Forward attention keeping the probabilities `[batch, heads, length, length]`.
    private func attend(_ qkv: [Float]) -> (probabilities: [Float], attended: [Float]) {
        let heads = shape.heads
        let h = headWidth
        let stride = 3 * width
        let scale = 1 / Float(h).squareRoot()
        var probabilities = [Float](repeating: 0, count: batch * heads * length * length)
        var attended = [Float](repeating: 0, count: rows * width)
        qkv.withUnsafeBufferPointer { qkv in
            probabilities.withUnsafeMutableBufferPointer { probabilities in
                attended.withUnsafeMutableBufferPointer { out in
                    for sequence in 0..<batch {
                        for head in 0..<heads {
                            let start = sequence * length * stride + head * h
                            let scores = MutableMatrixView(
                                probabilities, offset: (sequence * heads + head) * length * length, rows: length,
                                columns: length, leadingDimension: length)
                            GEMM.multiply(
                                MatrixView(qkv, offset: start, rows: length, columns: h, leadingDimension: stride),
                                MatrixView(
                                    qkv, offset: start + width, rows: length, columns: h, leadingDimension: stride),
                                into: scores, transposeB: true, alpha: scale)
                            let base = (sequence * heads + head) * length * length
                            if shape.causal {
                                for row in 0..<length {
                                    for column in (row + 1)..<length {
                                        probabilities[base + row * length + column] = -.infinity
                                    }
                                }
                            }
                            SoftmaxKernel.rows(
                                UnsafeMutableBufferPointer(rebasing: probabilities[base..<(base + length * length)]),
                                rows: length, width: length)
                            GEMM.multiply(
                                scores.readOnly,
                                MatrixView(
                                    qkv, offset: start + 2 * width, rows: length, columns: h, leadingDimension: stride),
                                into: MutableMatrixView(
                                    out, offset: sequence * length * width + head * h, rows: length, columns: h,
                                    leadingDimension: width))
                        }
                    }
                }
            }
        }
        return (probabilities, attended)
    }

    /// The gradient of the packed QKV rows from the gradient of the attended values.
    private func attentionBackward(_ dAttended: [Float], block: Block) -> [Float] {
        let heads = shape.heads
        let h = headWidth
        let stride = 3 * width
        let scale = 1 / Float(h).squareRoot()
        var dQKV = [Float](repeating: 0, count: rows * stride)
        var dP = [Float](repeating: 0, count: length * length)
        block.qkv.withUnsafeBufferPointer { qkv in
            block.probabilities.withUnsafeBufferPointer { probabilities in
                dAttended.withUnsafeBufferPointer { dOut in
                    dQKV.withUnsafeMutableBufferPointer { dQKV in
                        dP.withUnsafeMutableBufferPointer { dP in
                            for sequence in 0..<batch {
                                for head in 0..<heads {
                                    let start = sequence * length * stride + head * h
                                    let pOffset = (sequence * heads + head) * length * length
                                    let P = MatrixView(
                                        probabilities, offset: pOffset, rows: length, columns: length,
                                        leadingDimension: length)
                                    let dO = MatrixView(
                                        dOut, offset: sequence * length * width + head * h, rows: length, columns: h,
                                        leadingDimension: width)
                                    let V = MatrixView(
                                        qkv, offset: start + 2 * width, rows: length, columns: h,
                                        leadingDimension: stride)
                                    // dV = Pᵀ·dO; dP = dO·Vᵀ.
                                    GEMM.multiply(
                                        P, dO,
                                        into: MutableMatrixView(
                                            dQKV, offset: start + 2 * width, rows: length, columns: h,
                                            leadingDimension: stride),
                                        transposeA: true)
                                    GEMM.multiply(
                                        dO, V, into: MutableMatrixView(dP, rows: length, columns: length),
                                        transposeB: true)
                                    // dS = P ⊙ (dP − rowsum(dP ⊙ P)), times the scale of S = scale·Q·Kᵀ.
                                    for row in 0..<length {
                                        var dot: Float = 0
                                        for column in 0..<length {
                                            dot +=
                                                dP[row * length + column]
                                                * probabilities[pOffset + row * length + column]
                                        }
                                        for column in 0..<length {
                                            let p = probabilities[pOffset + row * length + column]
                                            dP[row * length + column] = p * (dP[row * length + column] - dot) * scale
                                        }
                                    }
                                    let dS = MatrixView(UnsafeBufferPointer(dP), rows: length, columns: length)
                                    // dQ = dS·K; dK = dSᵀ·Q.
                                    GEMM.multiply(
                                        dS,
                                        MatrixView(
                                            qkv, offset: start + width, rows: length, columns: h,
                                            leadingDimension: stride),
                                        into: MutableMatrixView(
                                            dQKV, offset: start, rows: length, columns: h, leadingDimension: stride))
                                    GEMM.multiply(
                                        dS,
                                        MatrixView(
                                            qkv, offset: start, rows: length, columns: h, leadingDimension: stride),
                                        into: MutableMatrixView(
                                            dQKV, offset: start + width, rows: length, columns: h,
                                            leadingDimension: stride),
                                        transposeA: true)
                                }
                            }
                        }
                    }
                }
            }
        }
        return dQKV
    }

    // MARK: Layers shared by the towers

    /// Layer norm keeping each row's `1/σ` (the normalised input is recomputed in backward).
    static func layerNorm(
        _ input: [Float], rows: Int, width: Int, parameters: CLIPParameters, name: String
    ) -> (output: [Float], inverse: [Float]) {
        var output = [Float](repeating: 0, count: rows * width)
        var means = [Float](repeating: 0, count: rows)
        var inverse = [Float](repeating: 0, count: rows)
        let weight = parameters.values(name + ".weight")
        let bias = parameters.values(name + ".bias")
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        means.withUnsafeMutableBufferPointer { m in
                            inverse.withUnsafeMutableBufferPointer { r in
                                if let xb = x.baseAddress, let yb = y.baseAddress, let wb = w.baseAddress,
                                    let bb = b.baseAddress
                                {
                                    LayerNormKernel.forward(
                                        xb, into: yb, rows: rows, width: width, weight: wb, bias: bb,
                                        means: m.baseAddress,
                                        inverseDeviations: r.baseAddress)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, inverse)
    }

    /// Layer-norm backward: adds `dx` to `gradient` and the affine parameters' gradients to the store.
    static func layerNormBackward(
        _ dOutput: [Float], input: [Float], inverse: [Float], rows: Int, width: Int, parameters: CLIPParameters,
        name: String, accumulatingInto gradient: inout [Float], gradients: inout GradientStore
    ) {
        let weight = parameters.values(name + ".weight")
        var dWeight = [Float](repeating: 0, count: width)
        var dBias = [Float](repeating: 0, count: width)
        var normalized = [Float](repeating: 0, count: width)
        var dNormalized = [Float](repeating: 0, count: width)
        for row in 0..<rows {
            let base = row * width
            var mean: Float = 0
            for i in 0..<width { mean += input[base + i] }
            mean /= Float(width)
            var sumD: Float = 0
            var sumDX: Float = 0
            for i in 0..<width {
                normalized[i] = (input[base + i] - mean) * inverse[row]
                dNormalized[i] = dOutput[base + i] * weight[i]
                dWeight[i] += dOutput[base + i] * normalized[i]
                dBias[i] += dOutput[base + i]
                sumD += dNormalized[i]
                sumDX += dNormalized[i] * normalized[i]
            }
            let meanD = sumD / Float(width)
            let meanDX = sumDX / Float(width)
            for i in 0..<width {
                gradient[base + i] += inverse[row] * (dNormalized[i] - meanD - normalized[i] * meanDX)
            }
        }
        gradients.add(name + ".weight", count: width) { for i in 0..<width { $0[i] += dWeight[i] } }
        gradients.add(name + ".bias", count: width) { for i in 0..<width { $0[i] += dBias[i] } }
    }

    /// Backward of `y = x·Wᵀ + b` (`W` is `[outputs, inputs]`): adds `dW = dyᵀ·x` and
    /// `db = Σ dy` to the store and returns `dx = dy·W`.
    static func linearBackward(
        _ dOutput: [Float], input: [Float], rows: Int, inputs: Int, outputs: Int, weight: [Float], weightName: String,
        biasName: String?, gradients: inout GradientStore
    ) -> [Float] {
        var dInput = [Float](repeating: 0, count: rows * inputs)
        dOutput.withUnsafeBufferPointer { dy in
            input.withUnsafeBufferPointer { x in
                gradients.add(weightName, count: outputs * inputs) { dW in
                    GEMM.multiply(
                        MatrixView(dy, rows: rows, columns: outputs), MatrixView(x, rows: rows, columns: inputs),
                        into: MutableMatrixView(dW, rows: outputs, columns: inputs), transposeA: true, beta: 1)
                }
                weight.withUnsafeBufferPointer { w in
                    dInput.withUnsafeMutableBufferPointer { dx in
                        GEMM.multiply(
                            MatrixView(dy, rows: rows, columns: outputs), MatrixView(w, rows: outputs, columns: inputs),
                            into: MutableMatrixView(dx, rows: rows, columns: inputs))
                    }
                }
            }
        }
        if let biasName {
            gradients.add(biasName, count: outputs) { db in
                for row in 0..<rows {
                    for column in 0..<outputs { db[column] += dOutput[row * outputs + column] }
                }
            }
        }
        return dInput
    }

    /// The derivative of exact GELU (`Φ(x) + x·φ(x)`) or QuickGELU (`σ + 1.702·x·σ·(1 − σ)`).
    static func activationDerivative(_ x: Float, quick: Bool) -> Float {
        if quick {
            let s = 1 / (1 + expf(-1.702 * x))
            return s + 1.702 * x * s * (1 - s)
        }
        let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
        let pdf = expf(-0.5 * x * x) * 0.39894228040143268
        return cdf + x * pdf
    }
}
