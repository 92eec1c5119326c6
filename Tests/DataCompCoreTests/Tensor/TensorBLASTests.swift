import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct TensorBLASTests {
    @Test("matmul agrees with numpy for every transpose combination")
    func matmulMatchesNumpy() throws {
        // Reference: numpy float32 `@` (Scripts/fixtures/tensor_fixtures.py); tolerance 1e-5 absolute for
        // |values| < 10 (different summation order in different BLAS builds).
        let json = try jsonFixture("matmul.json")
        let a = try matrix(json["a"]), b = try matrix(json["b"])
        let aT = try matrix(json["aT"]), bT = try matrix(json["bT"])
        let cases: [(Tensor, String)] = [
            (Tensor.matmul(a, b), "ab"),
            (Tensor.matmul(aT, b, transposeA: true), "aTT_b"),
            (Tensor.matmul(a, bT, transposeB: true), "a_bTT"),
            (Tensor.matmul(aT, bT, transposeA: true, transposeB: true), "aTT_bTT"),
            (a.matmul(bT, transposeB: true), "ab"),
        ]
        for (product, name) in cases {
            let expected = try matrix(json[name])
            #expect(product.shape == [7, 3])
            #expect(maxAbsoluteDifference(product.scalars, expected.scalars) < 1e-5, "\(name)")
        }
        #expect(aT.transposed() == a)
    }

    @Test("matmul with an empty inner dimension is all zeros")
    func emptyInnerDimension() {
        let product = Tensor.matmul(Tensor(shape: [2, 0]), Tensor(shape: [0, 3]))
        #expect(product == Tensor(shape: [2, 3]))
    }
}
