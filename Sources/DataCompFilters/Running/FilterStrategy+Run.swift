import DataCompCore
import Foundation

extension FilterStrategy {
    /// Runs the strategy over every shard of `pool` and returns the kept uids with a report.
    ///
    /// Shards are scanned in parallel within `concurrency`. A strategy with pool selections (a
    /// top fraction) first scores the whole pool (4 bytes per sample) and computes each
    /// threshold as DataComp's `get_threshold`; every other rule streams, with memory
    /// independent of the pool's size. Progress goes to `progress` (a bar on a terminal with
    /// `TerminalProgressReporter`).
    ///
    /// ```swift
    /// import DataCompFilters
    ///
    /// let pool = try CandidatePool(metadataDirectory: "data/metadata")
    /// let result = try await ScoreFilter(.clipL14Score, .topFraction(0.3)).run(on: pool)
    /// try result.write(to: "subsets/clip_l14_30pct.npy")
    /// print(result.report.samplesKept, "of", result.report.samplesSeen)
    /// ```
    ///
    /// - Parameters:
    ///   - pool: The candidate pool.
    ///   - concurrency: How many shards are read at once (and the threads each may use).
    ///   - progress: Where progress goes.
    /// - Returns: The sorted subset and the run's report.
    /// - Throws: `DataCompError` for an unreadable shard (naming the file, row and the fix), a
    ///   top fraction over an empty pool, or any error the strategy throws.
    public func run(
        on pool: CandidatePool, concurrency: ConcurrencyBudget = .machine, progress: some ProgressReporter = .silent
    ) async throws -> FilterResult {
        let started = ContinuousClock.now
        let selections = Self.distinct(poolSelections)
        var outcomes: [String: FilterContext.Outcome] = [:]
        var thresholds: [FilterReport.Threshold] = []
        if !selections.isEmpty {
            let scoreColumns = selections.reduce(into: Set<PoolColumn>()) { $0.formUnion($1.scorer.columns) }
            // Only the scores' columns (the uid column only if they read nothing, to count rows).
            let perShard = try await pool.mapShards(
                columns: scoreColumns.isEmpty ? [.uid] : scoreColumns, concurrency: concurrency, progress: progress
            ) { reader in
                try DataCompError.attributing(to: reader.shard.parquetPath) {
                    var scores = [[Float]](repeating: [], count: selections.count)
                    for index in scores.indices { scores[index].reserveCapacity(reader.rowCount) }
                    try reader.forEachBatch { batch in
                        for (index, selection) in selections.enumerated() {
                            scores[index] += try selection.scorer.scores(for: batch)
                        }
                    }
                    return scores
                }
            }
            for (index, selection) in selections.enumerated() {
                let chunks = perShard.map { $0[index] }
                let count = chunks.reduce(0) { $0 + $1.count }
                guard count > 0 else {
                    throw DataCompError(
                        .invalidArgument,
                        "the pool has no samples, so the top \(ScoreSelection.percent(selection.fraction)) by \(selection.scorer) is undefined; check the metadata folder",
                        path: pool.directory)
                }
                let rank = TopFractionThreshold.rank(count: count, fraction: selection.fraction)
                let value = TopFractionThreshold.threshold(chunks, rank: rank)
                outcomes[selection.id] = .threshold(value)
                thresholds.append(
                    FilterReport.Threshold(
                        selection: selection.description, fraction: selection.fraction, scoreCount: count, rank: rank,
                        value: value))
            }
        }
        let strategy = self
        let context = FilterContext(outcomes: outcomes)
        var shards = try await pool.mapShards(
            columns: columns.union([.uid]), concurrency: concurrency, progress: progress
        ) { reader in
            try DataCompError.attributing(to: reader.shard.parquetPath) {
                var context = context
                var kept: [SampleID] = []
                try reader.forEachBatch { batch in
                    let mask = try strategy.recordedKeep(
                        batch, among: RowMask(count: batch.count, repeating: true), context: &context)
                    let uids = batch.uids
                    for row in mask.selectedIndices { kept.append(uids[row]) }
                }
                return (kept: kept, counts: context.counts, rows: reader.rowCount)
            }
        }
        var counts = RuleCounts()
        for shard in shards { counts.merge(shard.counts) }
        // Move the kept uids out of the shard results, so that each buffer is freed once copied.
        var chunks = shards.indices.map { index in
            defer { shards[index].kept = [] }
            return shards[index].kept
        }
        let subset = Subset(sortingChunks: &chunks)
        let fingerprints = try zip(pool.shards, shards).map { shard, result in
            try FileFingerprint(of: shard.parquetPath, rowCount: result.rows)
        }
        var seenAssets = Set<String>()
        let assets = try assetPaths.filter { seenAssets.insert($0).inserted }.map {
            try FileFingerprint(of: $0, hashing: true)
        }
        let elapsed = ContinuousClock.now - started
        let report = FilterReport(
            strategy: description, parameters: parameters, samplesSeen: shards.reduce(0) { $0 + $1.rows },
            samplesKept: subset.count,
            rules: counts.entries.map { FilterReport.RuleCount(rule: $0.rule, seen: $0.seen, kept: $0.kept) },
            thresholds: thresholds, pool: fingerprints, assets: assets, tool: DataCompVersion.toolName,
            elapsedSeconds: elapsed.seconds)
        return FilterResult(subset: subset, report: report)
    }

    /// The selections with distinct ids, in order of first appearance.
    static func distinct(_ selections: [PoolSelection]) -> [PoolSelection] {
        var seen = Set<String>()
        return selections.filter { seen.insert($0.id).inserted }
    }
}
