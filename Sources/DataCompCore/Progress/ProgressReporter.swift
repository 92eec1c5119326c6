/// Receives the progress of long jobs (scanning a pool, resharding, training, evaluating).
///
/// Library calls that take long accept a reporter and default to ``SilentProgressReporter``:
/// a library never prints on its own. The `datacomp` tool passes ``TerminalProgressReporter``,
/// which draws a progress bar with counts, rate and ETA when standard error is a terminal and
/// stays silent otherwise (in logs, pipes and CI). Give a ``CallbackProgressReporter`` to feed
/// your own UI or logs.
///
/// Reports arrive from any thread, at most a few times per second per job (``ProgressTracker``
/// throttles them), and the last report of a job has ``ProgressUpdate/isFinished`` set.
public protocol ProgressReporter: Sendable {
    /// Called with the current state of a job.
    ///
    /// - Parameter update: What has been done so far.
    func report(_ update: ProgressUpdate)
}

/// The state of a long job at one moment.
public struct ProgressUpdate: Sendable, Hashable {
    /// What is being done, for example `pool stats`.
    public var label: String
    /// The units done so far.
    public var completed: Int
    /// The units in all, when known.
    public var total: Int?
    /// The unit counted, for example `shards` or `samples`.
    public var unit: String
    /// The time since the job started, in seconds.
    public var elapsedSeconds: Double
    /// Whether the job has ended (successfully or not); the job's last report.
    public var isFinished: Bool

    /// Creates an update.
    ///
    /// - Parameters:
    ///   - label: What is being done.
    ///   - completed: The units done so far.
    ///   - total: The units in all, when known.
    ///   - unit: The unit counted.
    ///   - elapsedSeconds: The time since the job started.
    ///   - isFinished: Whether the job has ended.
    public init(label: String, completed: Int, total: Int?, unit: String, elapsedSeconds: Double, isFinished: Bool) {
        self.label = label
        self.completed = completed
        self.total = total
        self.unit = unit
        self.elapsedSeconds = elapsedSeconds
        self.isFinished = isFinished
    }

    /// Units per second so far, or `nil` before any time has passed.
    public var rate: Double? { elapsedSeconds > 0 ? Double(completed) / elapsedSeconds : nil }

    /// The estimated seconds left at the current rate, when the total is known.
    public var estimatedSecondsLeft: Double? {
        guard let total, let rate, rate > 0, completed <= total else { return nil }
        return Double(total - completed) / rate
    }
}

/// A reporter that ignores every update: the library default.
public struct SilentProgressReporter: ProgressReporter {
    /// Creates the reporter.
    public init() {}

    /// Ignores `update`.
    ///
    /// - Parameter update: The update.
    public func report(_ update: ProgressUpdate) {}
}

/// A reporter that calls a closure with every update.
public struct CallbackProgressReporter: ProgressReporter {
    private let body: @Sendable (ProgressUpdate) -> Void

    /// Creates the reporter.
    ///
    /// - Parameter body: Called with each update, from any thread.
    public init(_ body: @escaping @Sendable (ProgressUpdate) -> Void) {
        self.body = body
    }

    /// Calls the closure.
    ///
    /// - Parameter update: The update.
    public func report(_ update: ProgressUpdate) { body(update) }
}

extension ProgressReporter where Self == SilentProgressReporter {
    /// A reporter that ignores every update.
    public static var silent: SilentProgressReporter { SilentProgressReporter() }
}
