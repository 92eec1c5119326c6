internal import DataCompKernels
import Foundation

/// How much parallel work one call may start: the package's single rule for sharing cores
/// between outer work, inner work and OpenBLAS.
///
/// Width is spent outermost first. A call given a budget of width `w` that fans out over `n`
/// items runs `min(n, w)` of them at once and hands each item the budget `w / min(n, w)` (at
/// least 1) for its own inner parallelism — Parquet columns decoded at once, images preprocessed
/// at once, the threads of a matrix product. So a pool scan over 2 shards on 2 cores decodes each
/// shard's columns on one thread, a scan of 1 shard decodes its columns on 2, and a GEMM inside
/// one of two concurrent tasks runs on one BLAS thread. No call ever starts more threads of work
/// than its budget.
///
/// ```swift
/// let budget = ConcurrencyBudget.machine            // one unit per core
/// let (shardsAtOnce, perShard) = budget.split(over: pool.shards.count)
/// ```
public struct ConcurrencyBudget: Sendable, Hashable, CustomStringConvertible {
    /// The number of threads of work the call may keep busy at once; at least 1.
    public let width: Int

    /// Creates a budget.
    ///
    /// - Parameter width: The most threads of work at once.
    /// - Precondition: `width >= 1`.
    public init(width: Int) {
        precondition(width >= 1, "a concurrency budget needs a width of at least 1, not \(width)")
        self.width = width
    }

    /// One unit per active processor core.
    public static var machine: ConcurrencyBudget {
        ConcurrencyBudget(width: max(1, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// A budget of one: everything runs in order on the calling thread.
    public static let serial = ConcurrencyBudget(width: 1)

    /// Splits the budget over `count` items: how many run at once, and what each may use inside.
    ///
    /// - Parameter count: The number of items to fan out over.
    /// - Returns: `outer = min(count, width)` (at least 1) and the per-item budget
    ///   `width / outer` (at least 1).
    public func split(over count: Int) -> (outer: Int, inner: ConcurrencyBudget) {
        let outer = max(1, min(count, width))
        return (outer, ConcurrencyBudget(width: max(1, width / outer)))
    }

    /// Runs `body` with OpenBLAS limited to this budget's width, then restores the previous
    /// count: a fan-out calls it with each item's inner budget, so that matrix products inside
    /// concurrent items do not each start a thread per core.
    package func withBLASThreads<R>(_ body: () async throws -> R) async rethrows -> R {
        let previous = BLASThreads.count
        BLASThreads.setCount(width)
        defer { BLASThreads.setCount(previous) }
        return try await body()
    }

    /// `width N`.
    public var description: String { "width \(width)" }
}
