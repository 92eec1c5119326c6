internal import DataCompKernels

extension Tensor {
    /// Returns the tensor with every row (every slice along the last dimension) divided by its
    /// Euclidean norm, with PyTorch's `F.normalize(x, dim=-1)` semantics.
    ///
    /// Each row is divided by `max(‖row‖₂, epsilon)`, so an all-zero row stays zero and a row
    /// whose norm is below `epsilon` is scaled by `1 / epsilon` rather than blown up to unit
    /// length. The sum of squares is accumulated in `Float` (as PyTorch does for float32 input),
    /// so results agree with PyTorch to about one unit in the last place.
    ///
    /// - Parameter epsilon: The smallest divisor; PyTorch's default is `1e-12`.
    /// - Returns: A tensor of the same shape.
    /// - Precondition: The tensor has rank 1 or more.
    public func rowNormalized(epsilon: Float = 1e-12) -> Tensor {
        var copy = self
        copy.normalizeRows(epsilon: epsilon)
        return copy
    }

    /// Divides every row (slice along the last dimension) by `max(‖row‖₂, epsilon)` in place.
    ///
    /// - Parameter epsilon: The smallest divisor; PyTorch's default is `1e-12`.
    /// - Precondition: The tensor has rank 1 or more.
    public mutating func normalizeRows(epsilon: Float = 1e-12) {
        precondition(rank >= 1, "normalizeRows needs a tensor of rank 1 or more, got a scalar")
        let width = shape[rank - 1]
        withUnsafeMutableBufferPointer { VectorKernels.normalizeRows($0, width: width, epsilon: epsilon) }
    }

    /// The L2 norm of every row (slice along the last dimension).
    ///
    /// - Returns: A tensor with the last dimension removed.
    /// - Precondition: The tensor has rank 1 or more.
    public func rowNorms() -> Tensor {
        precondition(rank >= 1, "rowNorms needs a tensor of rank 1 or more, got a scalar")
        let width = shape[rank - 1]
        return withUnsafeBufferPointer { buffer in
            Tensor(shape: Array(shape.dropLast())) { VectorKernels.rowNorms(buffer, width: width, into: $0) }
        }
    }

    /// Returns the elementwise product with a scalar.
    ///
    /// - Parameter factor: The multiplier.
    /// - Returns: A tensor of the same shape.
    public func scaled(by factor: Float) -> Tensor {
        withUnsafeBufferPointer { source in
            Tensor(shape: shape) { target in VectorKernels.scale(source, by: factor, into: target) }
        }
    }
}
