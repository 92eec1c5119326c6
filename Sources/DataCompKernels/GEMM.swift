/// General matrix products through OpenBLAS: `C = alpha · op(A) · op(B) + beta · C`.
///
/// Operands are ``MatrixView``s (pointer, shape, leading dimension), so sub-matrices of larger
/// buffers — one head of an attention block, one image of a batch — are multiplied in place
/// without copying. `op(X)` is `X` or its transpose; a transposed operand is read as stored,
/// never copied. Nothing is allocated.
package enum GEMM {
    /// Computes `c = alpha · op(a) · op(b) + beta · c`.
    ///
    /// The corresponding C function is `cblas_sgemm`. With `beta == 0`, `c` is written without
    /// being read (it may hold garbage or NaN).
    ///
    /// - Parameters:
    ///   - a: `[m, k]`, or `[k, m]` when `transposeA`.
    ///   - b: `[k, n]`, or `[n, k]` when `transposeB`.
    ///   - c: `[m, n]`; must not overlap `a` or `b`.
    ///   - transposeA: Whether to use `aᵀ`.
    ///   - transposeB: Whether to use `bᵀ`.
    ///   - alpha: The factor of the product.
    ///   - beta: The factor of the previous `c` (0 overwrites, 1 accumulates).
    /// - Precondition: The shapes agree.
    package static func multiply(
        _ a: MatrixView, _ b: MatrixView, into c: MutableMatrixView,
        transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(
            k == kB && c.rows == m && c.columns == n,
            "GEMM shapes disagree: op(a) is [\(m), \(k)], op(b) is [\(kB), \(n)], c is [\(c.rows), \(c.columns)]")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            // An empty inner dimension: the product is zero, so only the beta scaling remains.
            for row in 0..<m {
                let line = c.base + row * c.leadingDimension
                for column in 0..<n { line[column] = beta == 0 ? 0 : beta * line[column] }
            }
            return
        }
        BLAS.blas_sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
            a: a.base, lda: a.leadingDimension, b: b.base, ldb: b.leadingDimension, beta: beta,
            c: c.base, ldc: c.leadingDimension)
    }

    /// Computes `count` independent products `c[i] = alpha · op(a[i]) · op(b[i]) + beta · c[i]`,
    /// where matrix `i` of each operand starts `i · stride` values after its first.
    ///
    /// A stride of 0 reuses one matrix for every product (for example shared weights).
    ///
    /// - Parameters:
    ///   - count: The number of products.
    ///   - a: The first `a` matrix.
    ///   - strideA: Values between consecutive `a` matrices.
    ///   - b: The first `b` matrix.
    ///   - strideB: Values between consecutive `b` matrices.
    ///   - c: The first `c` matrix.
    ///   - strideC: Values between consecutive `c` matrices; the `c` matrices must not overlap.
    ///   - transposeA: Whether to use `aᵀ`.
    ///   - transposeB: Whether to use `bᵀ`.
    ///   - alpha: The factor of each product.
    ///   - beta: The factor of each previous `c`.
    /// - Precondition: The shapes agree, `count >= 0`, strides are non-negative.
    package static func multiplyBatched(
        count: Int, _ a: MatrixView, strideA: Int, _ b: MatrixView, strideB: Int,
        into c: MutableMatrixView, strideC: Int,
        transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(count >= 0 && strideA >= 0 && strideB >= 0 && strideC >= 0, "negative batch count or stride")
        for index in 0..<count {
            multiply(
                MatrixView(
                    a.base + index * strideA, rows: a.rows, columns: a.columns, leadingDimension: a.leadingDimension),
                MatrixView(
                    b.base + index * strideB, rows: b.rows, columns: b.columns, leadingDimension: b.leadingDimension),
                into: MutableMatrixView(
                    c.base + index * strideC, rows: c.rows, columns: c.columns, leadingDimension: c.leadingDimension),
                transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
        }
    }
}
