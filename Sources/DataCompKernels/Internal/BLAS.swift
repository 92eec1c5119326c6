internal import COpenBLAS

/// Thin wrappers over the OpenBLAS functions the kernels use, one per C function; no other file
/// of the package imports `COpenBLAS`.
enum BLAS {
    /// `C = alpha · op(A) · op(B) + beta · C`, all row-major.
    ///
    /// The corresponding C function is `cblas_sgemm`.
    ///
    /// - Parameters:
    ///   - transposeA: Whether op(A) is Aᵀ; A is stored `m × k` if not, `k × m` if so.
    ///   - transposeB: Whether op(B) is Bᵀ; B is stored `k × n` if not, `n × k` if so.
    ///   - m: The rows of op(A) and C.
    ///   - n: The columns of op(B) and C.
    ///   - k: The columns of op(A) and rows of op(B).
    ///   - alpha: The factor of the product.
    ///   - a: The first value of A.
    ///   - lda: The row stride of A.
    ///   - b: The first value of B.
    ///   - ldb: The row stride of B.
    ///   - beta: The factor of the previous C.
    ///   - c: The first value of C.
    ///   - ldc: The row stride of C.
    static func blas_sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// Sets the number of threads OpenBLAS uses for one call.
    ///
    /// The corresponding C function is
    /// `openblas_set_num_threads`.
    static func blas_set_num_threads(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: count))
    }

    /// The number of threads OpenBLAS uses for one call.
    ///
    /// The corresponding C function is
    /// `openblas_get_num_threads`.
    static func blas_get_num_threads() -> Int {
        Int(openblas_get_num_threads())
    }
}
