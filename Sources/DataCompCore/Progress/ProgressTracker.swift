import Foundation

/// Counts the units of one job from any number of threads and forwards throttled
/// ``ProgressUpdate``s to a ``ProgressReporter``.
///
/// ```swift
/// let tracker = ProgressTracker(label: "scan", total: pool.shards.count, unit: "shards", reporter: reporter)
/// defer { tracker.finish() }
/// for shard in pool.shards {
///     _ = try PoolShardReader(shard: shard, columns: [.uid]).rowCount
///     tracker.advance()      // any thread may call it
/// }
/// ```
public final class ProgressTracker: Sendable {
    private struct State {
        var completed = 0
        var lastReport = -Double.infinity
        var finished = false
    }

    /// What is being done.
    public let label: String
    /// The units in all, when known.
    public let total: Int?
    /// The unit counted.
    public let unit: String
    private let reporter: any ProgressReporter
    private let start = ContinuousClock.now
    private let interval: Double
    private let state = ProtectedState(State())

    /// Starts tracking a job and reports its start.
    ///
    /// - Parameters:
    ///   - label: What is being done.
    ///   - total: The units in all, when known.
    ///   - unit: The unit counted.
    ///   - reporter: Where updates go.
    ///   - interval: The least time between two updates, in seconds (the first and last are
    ///     always sent).
    public init(label: String, total: Int?, unit: String, reporter: any ProgressReporter, interval: Double = 0.1) {
        self.label = label
        self.total = total
        self.unit = unit
        self.reporter = reporter
        self.interval = interval
        send(completed: 0, finished: false)
    }

    private var elapsed: Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private func send(completed: Int, finished: Bool) {
        reporter.report(
            ProgressUpdate(
                label: label, completed: completed, total: total, unit: unit, elapsedSeconds: elapsed,
                isFinished: finished))
    }

    /// Adds `count` done units; reports when the last report is older than the interval.
    ///
    /// - Parameter count: The units just done.
    public func advance(by count: Int = 1) {
        let now = elapsed
        let due: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            state.completed += count
            guard now - state.lastReport >= interval else { return nil }
            state.lastReport = now
            return state.completed
        }
        if let due { send(completed: due, finished: false) }
    }

    /// Reports the job as finished (once; later calls do nothing).
    public func finish() {
        let done: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return state.completed
        }
        if let done { send(completed: done, finished: true) }
    }
}

/// A value guarded by a lock, for the few places where threads share mutable state.
final class ProtectedState<Value>: @unchecked Sendable {
    // Every access to `value` holds `lock`.
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
