import Foundation
import Testing

@testable import DataCompKernels

@Suite struct ActivationKernelTests {
    @Test("GELU is PyTorch's exact erf form; QuickGELU is x·σ(1.702x)")
    func activations() {
        var values: [Float] = [-3, -0.5, 0, 0.5, 3]
        var quick = values
        values.withUnsafeMutableBufferPointer { ActivationKernel.gelu($0) }
        quick.withUnsafeMutableBufferPointer { ActivationKernel.quickGELU($0) }
        for (index, x) in [-3, -0.5, 0, 0.5, 3].enumerated() {
            #expect(abs(Double(values[index]) - 0.5 * x * (1 + erf(x / 2.0.squareRoot()))) <= 1e-6)
            #expect(abs(Double(quick[index]) - x / (1 + exp(-1.702 * x))) <= 1e-6)
        }
    }

    @Test(
        "A residual ReLU and ReLU's backward pass match the scalar rule for every tail length", arguments: [1, 16, 35])
    func residualReLU(count: Int) {
        let a = (0..<count).map { Float($0 % 7) - 3 }
        let b = (0..<count).map { Float($0 % 5) - 2 }
        var sum = a
        sum.withUnsafeMutableBufferPointer { s in b.withUnsafeBufferPointer { ActivationKernel.addReLU(s, adding: $0) }
        }
        #expect(sum == zip(a, b).map { max($0 + $1, 0) })
        var gradient = b
        gradient.withUnsafeMutableBufferPointer { g in
            sum.withUnsafeBufferPointer { ActivationKernel.reluBackward(g, output: $0) }
        }
        #expect(gradient == zip(b, sum).map { $1 > 0 ? $0 : 0 })
    }
}
