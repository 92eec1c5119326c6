extension Tensor {
    /// A copy of rows `range` of a `[rows, columns]` tensor.
    func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank == 2, "rows(_:) takes a [rows, columns] tensor")
        let columns = shape[1]
        return withUnsafeBufferPointer { values in
            Tensor(
                shape: [range.count, columns],
                scalars: Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)]))
        }
    }

    /// The rows at `indices`, in that order.
    func gathering(rows indices: [Int]) -> Tensor {
        precondition(rank == 2, "gathering(rows:) takes a [rows, columns] tensor")
        let columns = shape[1]
        var scalars = [Float]()
        scalars.reserveCapacity(indices.count * columns)
        withUnsafeBufferPointer { values in
            for index in indices { scalars.append(contentsOf: values[(index * columns)..<((index + 1) * columns)]) }
        }
        return Tensor(shape: [indices.count, columns], scalars: scalars)
    }
}
