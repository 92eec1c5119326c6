import DataCompEval
import Testing

/// Expected orders printed by torch 2.13.0+cpu (refenv): `torch.topk(t, k).indices.tolist()` and
/// `t.argmax(1).tolist()` for the same tensors.
@Suite struct RankingTests {
    @Test("argmax takes the first of equal maxima; top-k orders ties as torch.topk on the CPU (nth_element path)")
    func tiesAsPyTorch() {
        let scores = Tensor(shape: [2, 5], scalars: [0.1, 0.9, 0.9, 0.2, 0.9, 3, 1, 3, 2, 2])
        #expect(Ranking.argmax(scores) == [1, 0])
        #expect(Ranking.topIndices(scores, k: 3) == [[2, 4, 1], [0, 2, 4]])
        #expect(Ranking.topIndices(scores, k: 5) == [[2, 4, 1, 3, 0], [0, 2, 4, 3, 1]])
        let many = Tensor(shape: [2, 40], scalars: (0..<2).flatMap { r in (0..<40).map { Float(($0 * 5 + r) % 4) } })
        #expect(Ranking.topIndices(many, k: 5) == [[31, 35, 11, 23, 19], [10, 34, 18, 26, 30]])
    }

    @Test("top-k orders ties as torch.topk when k · 64 <= columns (partial_sort path)")
    func partialSortPath() {
        let scores = Tensor(
            shape: [2, 200], scalars: (0..<2).flatMap { r in (0..<200).map { Float(($0 * 7 + r) % 3) } })
        #expect(Ranking.topIndices(scores, k: 3) == [[8, 5, 2], [7, 1, 4]])
    }

    @Test("top-k with more requested than columns returns every column; NaN ranks first as in PyTorch")
    func shortRowsAndNaN() {
        let scores = Tensor(shape: [1, 3], scalars: [0.5, .nan, 0.7])
        #expect(Ranking.topIndices(scores, k: 5) == [[1, 2, 0]])
        #expect(Ranking.argmax(scores) == [1])
    }
}
