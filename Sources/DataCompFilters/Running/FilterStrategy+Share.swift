import DataCompCore
import Foundation

extension FilterStrategy {
    /// Runs one share of a distributed run: the strategy over the metadata files of `share`,
    /// keeping what ``PartialFilterResult/merge(_:)`` needs to produce the single-run result.
    ///
    /// A strategy without top-fraction selections streams as in
    /// ``run(on:concurrency:progress:)``. With `m` selections, the share cannot know their
    /// thresholds, so every batch is decided under each of the `2^m` outcomes (at most 4
    /// selections): the rows that every outcome treats alike are settled, the others kept for
    /// the merge with their scores; every row's score for each selection is kept too (4 bytes per
    /// sample and selection).
    ///
    /// - Parameters:
    ///   - share: Which share of the metadata files to read.
    ///   - pool: The whole candidate pool (every share lists the same files).
    ///   - concurrency: How many of the share's files are read at once.
    ///   - progress: Where progress goes.
    /// - Returns: The share's partial result; write it with ``PartialFilterResult/write(to:)``.
    /// - Throws: `DataCompError` for an unreadable shard, a strategy with more than 4
    ///   selections, or any error the strategy throws.
    public func run(
        share: FilterShare, on pool: CandidatePool, concurrency: ConcurrencyBudget = .machine,
        progress: some ProgressReporter = .silent
    ) async throws -> PartialFilterResult {
        let started = ContinuousClock.now
        let selections = Self.distinct(poolSelections)
        guard selections.count <= 4 else {
            throw DataCompError(
                .invalidArgument,
                "a share decides every batch under each outcome of its top-fraction selections; \(selections.count) selections are more than the 4 it supports, so run the strategy in one process"
            )
        }
        let strategy = self
        let mine = pool.filteringShards { share.contains(shard: $0.index) }
        let combinations = 1 << selections.count
        let scoreColumns = selections.reduce(into: Set<PoolColumn>()) { $0.formUnion($1.scorer.columns) }
        let results = try await mine.mapShards(
            columns: columns.union(scoreColumns).union([.uid]), concurrency: concurrency, progress: progress
        ) { reader in
            try DataCompError.attributing(to: reader.shard.parquetPath) {
                var trace = ShareTrace()
                var scores: [Float] = []
                scores.reserveCapacity(reader.rowCount * selections.count)
                try reader.forEachBatch { batch in
                    let columns = try selections.map { try $0.scorer.scores(for: batch) }
                    for row in 0..<batch.count { for column in columns { scores.append(column[row]) } }
                    var runs: [(keep: RowMask, calls: [FilterContext.RuleCall])] = []
                    for combination in 0..<combinations {
                        var outcomes: [String: FilterContext.Outcome] = [:]
                        for (bit, selection) in selections.enumerated() {
                            outcomes[selection.id] = .forced(combination & (1 << bit) != 0)
                        }
                        var context = FilterContext(outcomes: outcomes, tracing: true)
                        let keep = try strategy.recordedKeep(
                            batch, among: RowMask(count: batch.count, repeating: true), context: &context)
                        runs.append((keep, context.trace ?? []))
                    }
                    try trace.add(batch: batch, runs: runs, scores: columns)
                }
                return (trace: trace, scores: scores, rows: reader.rowCount)
            }
        }
        var trace = ShareTrace()
        var scores: [Float] = []
        for result in results {
            try trace.append(result.trace)
            scores += result.scores
        }
        let files = try zip(mine.shards, results).map { shard, result in
            (position: shard.index, fingerprint: try FileFingerprint(of: shard.parquetPath, rowCount: result.rows))
        }
        var seenAssets = Set<String>()
        let assets = try assetPaths.filter { seenAssets.insert($0).inserted }.map {
            try FileFingerprint(of: $0, hashing: true)
        }
        return PartialFilterResult(
            share: share, strategy: description, parameters: parameters, assets: assets,
            poolFiles: pool.shards.map { ($0.parquetPath as NSString).lastPathComponent }, files: files,
            selections: selections.map { ($0.description, $0.fraction) },
            elapsedSeconds: (ContinuousClock.now - started).seconds, trace: trace, scores: scores)
    }
}
