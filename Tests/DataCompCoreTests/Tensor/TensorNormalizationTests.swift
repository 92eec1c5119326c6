import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct TensorNormalizationTests {
    @Test("rowNormalized matches torch F.normalize(x, dim=-1), zero and tiny rows included")
    func matchesTorchNormalize() throws {
        // Reference: torch.nn.functional.normalize (eps=1e-12) in float32; tolerance 1e-6
        // absolute on unit-norm rows, exact zeros for the zero row, 1e-14 for the tiny row.
        let json = try jsonFixture("normalize.json")
        let x = try matrix(json["x"])
        let expected = try matrix(json["y"])
        let y = x.rowNormalized()
        #expect(maxAbsoluteDifference(y.scalars, expected.scalars) < 1e-6)
        #expect(y.scalars[18..<27].allSatisfy { $0 == 0 })
        #expect(zip(y.scalars[36..<45], expected.scalars[36..<45]).allSatisfy { abs($0 - $1) < 1e-14 })
        let norms = y.rowNorms()
        #expect(norms.shape == [6])
        #expect(abs(norms[0] - 1) < 1e-6)
    }
}
