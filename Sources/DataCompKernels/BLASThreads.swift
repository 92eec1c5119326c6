/// Control of the threads OpenBLAS starts for one call.
///
/// OpenBLAS keeps one process-wide thread count. The package's concurrency rule
/// (`ConcurrencyBudget` in DataCompCore) gives BLAS the width left over by the tasks around it:
/// a GEMM inside one of several concurrent tasks runs on one thread, a GEMM that has the machine
/// to itself uses every core.
package enum BLASThreads {
    /// The number of threads OpenBLAS uses for one call.
    package static var count: Int { BLAS.blas_get_num_threads() }

    /// Sets the number of threads OpenBLAS uses for one call (at least 1).
    ///
    /// The corresponding C function is `openblas_set_num_threads`.
    ///
    /// - Parameter count: The thread count; values below 1 are raised to 1.
    package static func setCount(_ count: Int) {
        BLAS.blas_set_num_threads(max(1, count))
    }

    /// Runs `body` with OpenBLAS limited to `count` threads, then restores the previous count.
    ///
    /// The count is process-wide: concurrent callers should agree on it (the concurrency
    /// budget sets it once for a whole fan-out).
    ///
    /// - Parameters:
    ///   - count: The thread count for the duration of `body`.
    ///   - body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    package static func withCount<R, E: Error>(_ count: Int, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = Self.count
        setCount(count)
        defer { setCount(previous) }
        return try body()
    }
}
