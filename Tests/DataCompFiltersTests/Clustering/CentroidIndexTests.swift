import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct CentroidIndexTests {
    @Test("Assigns by nearest centroid or by largest inner product, lowest index on ties")
    func assigns() {
        let centroids = Tensor(shape: [3, 2], scalars: [1, 0, 10, 0, 1, 0])
        let point = Tensor(shape: [1, 2], scalars: [1.2, 0])
        #expect(CentroidIndex(centroids: centroids, metric: .l2).assign(point).labels == [0])
        #expect(CentroidIndex(centroids: centroids, metric: .innerProduct).assign(point).labels == [1])
        let scores = CentroidIndex(centroids: centroids, metric: .innerProduct).assign(point).scores
        #expect(scores == [12])
        // Many points: the GEMM path agrees with a direct computation.
        var generator = SplitMix64(seed: 3)
        let values = (0..<(500 * 16)).map { _ in Float(generator.next() % 1000) / 500 - 1 }
        let many = Tensor(shape: [500, 16], scalars: values)
        let labels = CentroidIndex(
            centroids: Tensor(shape: [8, 16], scalars: Array(values[0..<128])), metric: .innerProduct
        )
        .assign(many).labels
        for row in 0..<500 {
            var best = 0
            var bestValue = -Float.infinity
            for c in 0..<8 {
                var dot: Float = 0
                for j in 0..<16 { dot += values[row * 16 + j] * values[c * 16 + j] }
                if dot > bestValue + 1e-4 { best = c; bestValue = dot }
            }
            #expect(labels[row] == best)
        }
    }
}
