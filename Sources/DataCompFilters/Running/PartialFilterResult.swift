import DataCompCore
import Foundation

/// What one share of a distributed filter run writes (``FilterStrategy/run(share:on:concurrency:progress:)``),
/// and the merge that turns all shares into the run's subset and report.
///
/// A share cannot know the thresholds of top-fraction selections, which rank the whole pool. So
/// it keeps the exact material for the merge: the 4-byte score of every row for each such
/// selection; the uids of the rows whose fate does not depend on the thresholds (sorted); and, for
/// the other rows, their uids, scores and how the strategy treated them under every outcome of the
/// selections. ``merge(_:)`` computes the thresholds exactly as a single run does, decides the
/// pending rows and sums the counts: the subset is byte-identical to a single run's, and the
/// report equal but for the time.
///
/// On disk a partial result is a folder (the share's `--save-path`):
///
/// | file | content |
/// |---|---|
/// | `part.json` | the share, the strategy and its parameters, the pool's file list, this share's files, the rule calls, their settled counts, the selections, the signatures |
/// | `kept.npy` | the uids kept whatever the thresholds: a DataComp subset file (sorted `u8,u8`) |
/// | `scores.npy` | float32 `[rows, m]`: every row's score for each of the `m` selections |
/// | `pending_uids.npy`, `pending_signatures.npy`, `pending_scores.npy` | the rows whose fate depends on the thresholds |
///
/// ```swift
/// import DataCompFilters
///
/// let pool = try CandidatePool(metadataDirectory: "metadata")
/// let strategy = ScoreFilter(.clipL14Score, .topFraction(0.3))
/// for index in 0..<3 {  // in practice: one process or array task each
///     let part = try await strategy.run(share: FilterShare(index: index, of: 3), on: pool)
///     try part.write(to: "parts/\(index)")
/// }
/// let parts = try (0..<3).map { try PartialFilterResult(contentsOfDirectory: "parts/\($0)") }
/// try PartialFilterResult.merge(parts).write(to: "subset.npy")
/// ```
public struct PartialFilterResult: Sendable {
    /// The share that wrote it.
    public var share: FilterShare
    /// The strategy's description.
    public var strategy: String
    /// The strategy's parameters.
    public var parameters: [(String, JSONValue)]
    /// The assets the strategy used.
    public var assets: [FileFingerprint]
    /// The names of all the pool's metadata files, in pool order (the same in every share).
    public var poolFiles: [String]
    /// The files this share read, with their positions in ``poolFiles``.
    public var files: [(position: Int, fingerprint: FileFingerprint)]
    /// The top-fraction selections: description and fraction, in order.
    public var selections: [(description: String, fraction: Double)]
    /// The share's wall-clock time, in seconds.
    public var elapsedSeconds: Double
    var trace: ShareTrace
    /// Every row's score per selection, `[rows, selections.count]` row-major.
    var scores: [Float]

    /// The rows the share read.
    public var samplesSeen: Int { files.reduce(0) { $0 + ($1.fingerprint.rowCount ?? 0) } }

    init(
        share: FilterShare, strategy: String, parameters: [(String, JSONValue)], assets: [FileFingerprint],
        poolFiles: [String], files: [(position: Int, fingerprint: FileFingerprint)],
        selections: [(description: String, fraction: Double)], elapsedSeconds: Double, trace: ShareTrace,
        scores: [Float]
    ) {
        self.share = share
        self.strategy = strategy
        self.parameters = parameters
        self.assets = assets
        self.poolFiles = poolFiles
        self.files = files
        self.selections = selections
        self.elapsedSeconds = elapsedSeconds
        self.trace = trace
        self.scores = scores
    }

    /// The merged result of every share of one run: the subset and report the run would have
    /// produced in one process.
    ///
    /// - Parameter parts: One partial result per share, in any order.
    /// - Returns: The sorted subset and the report; the report's time is the slowest share's
    ///   plus the merge's.
    /// - Throws: `DataCompError` with code `invalidArgument` when the parts come from different
    ///   runs (strategy, parameters, pool or share count differ), a share is missing or given
    ///   twice, or a top fraction is asked of an empty pool.
    public static func merge(_ parts: [PartialFilterResult]) throws -> FilterResult {
        let started = ContinuousClock.now
        guard let first = parts.first else {
            throw DataCompError(.invalidArgument, "no partial results to merge; pass the folders the shares wrote")
        }
        let count = first.share.count
        var byIndex = [PartialFilterResult?](repeating: nil, count: count)
        for part in parts {
            func differ(_ what: String) -> DataCompError {
                DataCompError(
                    .invalidArgument,
                    "\(part.share) has a different \(what) than \(first.share): the parts come from different runs; merge the parts of one run"
                )
            }
            guard part.share.count == count else { throw differ("number of shares") }
            guard part.strategy == first.strategy else { throw differ("strategy") }
            guard JSONValue.object(part.parameters) == JSONValue.object(first.parameters) else {
                throw differ("parameters")
            }
            guard part.poolFiles == first.poolFiles else { throw differ("pool (metadata files)") }
            guard part.selections.map(\.description) == first.selections.map(\.description),
                part.selections.map(\.fraction) == first.selections.map(\.fraction)
            else { throw differ("selections") }
            guard byIndex[part.share.index] == nil else {
                throw DataCompError(.invalidArgument, "\(part.share) is given twice; pass each share's folder once")
            }
            byIndex[part.share.index] = part
        }
        let missing = byIndex.indices.filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw DataCompError(
                .invalidArgument,
                "shares \(missing.map(String.init).joined(separator: ", ")) of \(count) are missing; run them (--shard-index) before merging"
            )
        }
        let ordered = byIndex.compactMap { $0 }
        // The traces of all shares, in share order.
        var trace = ShareTrace()
        for part in ordered { try trace.append(part.trace) }
        // Thresholds exactly as a single run computes them, over every row's score.
        let m = first.selections.count
        var thresholds: [FilterReport.Threshold] = []
        var values: [Float] = []
        for (index, selection) in first.selections.enumerated() {
            let chunks = ordered.map { part in stride(from: index, to: part.scores.count, by: m).map { part.scores[$0] }
            }
            let total = chunks.reduce(0) { $0 + $1.count }
            guard total > 0 else {
                throw DataCompError(
                    .invalidArgument,
                    "the pool has no samples, so \(selection.description) is undefined; check the metadata folder")
            }
            let rank = TopFractionThreshold.rank(count: total, fraction: selection.fraction)
            let value = TopFractionThreshold.threshold(chunks, rank: rank)
            values.append(value)
            thresholds.append(
                FilterReport.Threshold(
                    selection: selection.description, fraction: selection.fraction, scoreCount: total, rank: rank,
                    value: value))
        }
        // Decide the pending rows.
        var counts = trace.fixedCounts
        var kept = trace.fixedKept
        let maskedCalls = trace.calls.indices.filter { trace.masked[$0] }
        var decoded: [Int: (kept: Bool, seen: [Bool], keptBy: [Bool])] = [:]
        for (row, uid) in trace.pendingUIDs.enumerated() {
            var combination = 0
            for j in 0..<m where trace.pendingScores[row * m + j] >= values[j] { combination |= 1 << j }
            let signature = Int(trace.pendingSignatures[row])
            let key = signature << m | combination
            let outcome =
                decoded[key]
                ?? ShareTrace.decode(
                    trace.signatures[signature], combination: combination, maskedCallCount: maskedCalls.count)
            decoded[key] = outcome
            for (bit, call) in maskedCalls.enumerated() {
                if outcome.seen[bit] { counts[call].seen += 1 }
                if outcome.keptBy[bit] { counts[call].kept += 1 }
            }
            if outcome.kept { kept.append(uid) }
        }
        var ruleCounts = RuleCounts()
        for (index, rule) in trace.calls.enumerated() {
            ruleCounts.add(rule, seen: counts[index].seen, kept: counts[index].kept)
        }
        var chunks = [kept]
        kept = []
        let subset = Subset(sortingChunks: &chunks)
        let files = ordered.flatMap(\.files).sorted { $0.position < $1.position }.map(\.fingerprint)
        let elapsed = ContinuousClock.now - started
        let report = FilterReport(
            strategy: first.strategy, parameters: first.parameters,
            samplesSeen: ordered.reduce(0) { $0 + $1.samplesSeen }, samplesKept: subset.count,
            rules: ruleCounts.entries.map { FilterReport.RuleCount(rule: $0.rule, seen: $0.seen, kept: $0.kept) },
            thresholds: thresholds, pool: files, assets: first.assets, tool: DataCompVersion.toolName,
            elapsedSeconds: (ordered.map(\.elapsedSeconds).max() ?? 0) + elapsed.seconds)
        return FilterResult(subset: subset, report: report)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
