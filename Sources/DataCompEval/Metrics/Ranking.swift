/// The ranking rules every metric shares, as PyTorch applies them on the CPU.
///
/// `argmax` returns the first of equal maxima; `topk` returns equal values in the order of ATen's CPU kernel
/// (libstdc++'s `nth_element`, `partial_sort` and `sort` on (value, index) pairs), which is not
/// a fixed rule — the same logits give the same order here as in DataComp's evaluation on a CPU.
/// NaN counts as the largest value, as in PyTorch.
public enum Ranking {
    /// The index of the largest value of each row (the first one among equal maxima), as
    /// `logits.argmax(axis=1)`.
    ///
    /// - Parameter scores: `[rows, columns]` scores.
    /// - Returns: One index per row.
    public static func argmax(_ scores: Tensor) -> [Int] {
        precondition(scores.rank == 2, "argmax takes a [rows, columns] tensor")
        let (rows, columns) = (scores.shape[0], scores.shape[1])
        guard columns > 0 else { return [Int](repeating: 0, count: rows) }
        return scores.withUnsafeBufferPointer { values in
            (0..<rows).map { row in
                let base = row * columns
                var best = 0
                var bestValue = values[base]
                for column in 1..<columns where ranksBefore(values[base + column], bestValue) {
                    best = column
                    bestValue = values[base + column]
                }
                return best
            }
        }
    }

    /// The indices of the `k` largest values of each row, best first, in `torch.topk(scores, k)`'s
    /// order on the CPU; with fewer than `k` columns, all of them.
    ///
    /// - Parameters:
    ///   - scores: `[rows, columns]` scores.
    ///   - k: How many indices per row.
    /// - Returns: `rows` arrays of `min(k, columns)` indices.
    public static func topIndices(_ scores: Tensor, k: Int) -> [[Int]] {
        precondition(scores.rank == 2, "topIndices takes a [rows, columns] tensor")
        return scores.withUnsafeBufferPointer { values in
            TorchTopK.indices(values, rows: scores.shape[0], columns: scores.shape[1], k: k)
        }
    }

    /// Whether `value` ranks before `other` regardless of position: it is larger, or it is NaN
    /// and `other` is not (PyTorch orders NaN above every number in `argmax` and `topk`).
    static func ranksBefore(_ value: Float, _ other: Float) -> Bool {
        if value.isNaN { return !other.isNaN }
        return value > other
    }
}
