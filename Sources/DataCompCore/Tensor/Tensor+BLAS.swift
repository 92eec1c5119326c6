internal import DataCompKernels

extension Tensor {
    /// Returns the matrix product `op(a) · op(b)` of two rank-2 tensors, computed by OpenBLAS.
    ///
    /// `op(x)` is `x` or its transpose, without copying: with `transposeB: true`, `b` is stored
    /// `[n, k]`, which is how embedding similarities `images · textsᵀ` are usually computed.
    ///
    /// ```swift
    /// let logits = Tensor.matmul(imageFeatures, textFeatures, transposeB: true)  // [N, M]
    /// ```
    ///
    /// The corresponding C function is `cblas_sgemm`.
    ///
    /// - Parameters:
    ///   - a: A `[m, k]` tensor, or `[k, m]` if `transposeA`.
    ///   - b: A `[k, n]` tensor, or `[n, k]` if `transposeB`.
    ///   - transposeA: Whether to use the transpose of `a`.
    ///   - transposeB: Whether to use the transpose of `b`.
    /// - Returns: The `[m, n]` product.
    /// - Precondition: Both tensors have rank 2 and their inner dimensions agree.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got shapes \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kB = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(
            k == kB,
            "matmul inner dimensions differ: op(a) is [\(m), \(k)] and op(b) is [\(kB), \(n)] (shapes \(a.shape), \(b.shape), transposeA: \(transposeA), transposeB: \(transposeB))"
        )
        guard m > 0, n > 0, k > 0 else { return Tensor(shape: [m, n]) }
        return a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                Tensor(shape: [m, n]) { cBuffer in
                    GEMM.multiply(
                        MatrixView(aBuffer, rows: a.shape[0], columns: a.shape[1]),
                        MatrixView(bBuffer, rows: b.shape[0], columns: b.shape[1]),
                        into: MutableMatrixView(cBuffer, rows: m, columns: n),
                        transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
    }

    /// Returns the matrix product `op(self) · op(other)`; the same as
    /// ``matmul(_:_:transposeA:transposeB:)`` with `self` as `a`.
    ///
    /// - Parameters:
    ///   - other: The right-hand factor.
    ///   - transposeA: Whether to use the transpose of `self`.
    ///   - transposeB: Whether to use the transpose of `other`.
    /// - Returns: The `[m, n]` product.
    /// - Precondition: See ``matmul(_:_:transposeA:transposeB:)``.
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        Tensor.matmul(self, other, transposeA: transposeA, transposeB: transposeB)
    }

    /// Returns the transpose of a rank-2 tensor.
    ///
    /// - Returns: The `[columns, rows]` tensor.
    /// - Precondition: The tensor has rank 2.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a rank-2 tensor, got shape \(shape)")
        let rows = shape[0]
        let columns = shape[1]
        return withUnsafeBufferPointer { source in
            Tensor(shape: [columns, rows]) { target in
                VectorKernels.transpose(source, rows: rows, columns: columns, into: target)
            }
        }
    }
}
