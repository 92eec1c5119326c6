internal import CTorchRanking

/// `torch.topk(values, k, dim=1)` on the CPU, including its order among equal values.
enum TorchTopK {
    /// The indices of the `k` largest values of each row of a `[rows, columns]` buffer, in the
    /// order PyTorch's CPU kernel returns them; `k` is clamped to `columns`.
    static func indices(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, k: Int) -> [[Int]] {
        let count = min(max(k, 0), columns)
        guard count > 0, rows > 0 else { return [[Int]](repeating: [], count: rows) }
        var flat = [Int64](repeating: 0, count: rows * count)
        flat.withUnsafeMutableBufferPointer { output in
            ctr_topk_largest(values.baseAddress, Int64(rows), Int64(columns), Int64(count), output.baseAddress)
        }
        return (0..<rows).map { row in flat[(row * count)..<((row + 1) * count)].map(Int.init) }
    }
}
