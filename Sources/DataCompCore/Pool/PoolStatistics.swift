/// Summary statistics of a candidate pool: row and shard counts and the distributions of both
/// CLIP scores, caption lengths and original image sizes.
///
/// Statistics are computed per shard and merged, so a pool can be summarized in parallel or in
/// pieces; memory grows with the number of distinct values, not rows (see ``PoolDistribution``).
/// Caption lengths follow Python: characters are Unicode scalars (`len(text)`), words are the
/// items of `text.split()` (runs of non-whitespace, Python's whitespace set). How many rows a
/// filter's thresholds would drop is the filters' business (`BasicFilterRules` in
/// DataCompFilters).
public struct PoolStatistics: Sendable, Equatable {
    /// The columns the statistics read.
    public static let columns: Set<PoolColumn> = [.text, .originalWidth, .originalHeight, .clipB32Score, .clipL14Score]

    /// The quantiles reported, with their names.
    public static let reportedQuantiles: [(name: String, q: Double)] = [
        ("min", 0), ("p1", 0.01), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95),
        ("p99", 0.99), ("max", 1),
    ]

    /// The number of shards.
    public var shardCount = 0
    /// The stems of shards without a paired `.npz` file.
    public var shardsMissingNPZ: [String] = []
    /// The number of rows.
    public var rowCount = 0
    /// `clip_b32_similarity_score`.
    public var clipB32Scores = PoolDistribution()
    /// `clip_l14_similarity_score`.
    public var clipL14Scores = PoolDistribution()
    /// Caption lengths in Unicode scalars (Python `len`).
    public var captionCharacters = PoolDistribution()
    /// Caption lengths in words (Python `len(text.split())`).
    public var captionWords = PoolDistribution()
    /// `original_width`.
    public var originalWidths = PoolDistribution()
    /// `original_height`.
    public var originalHeights = PoolDistribution()
    /// Creates empty statistics.
    public init() {}

    /// Adds the rows of a batch.
    ///
    /// - Parameter batch: A batch holding at least ``columns``.
    public mutating func add(_ batch: PoolBatch) {
        rowCount += batch.count
        for score in batch.clipB32Scores { clipB32Scores.add(Double(score)) }
        for score in batch.clipL14Scores { clipL14Scores.add(Double(score)) }
        batch.texts.forEachUTF8 { _, bytes in
            let characters = TextScanning.scalarCount(bytes)
            let words = TextScanning.pythonWordCount(bytes)
            captionCharacters.add(Double(characters))
            captionWords.add(Double(words))
        }
        let widths = batch.originalWidths
        let heights = batch.originalHeights
        for row in 0..<batch.count {
            originalWidths.add(Double(widths[row]))
            originalHeights.add(Double(heights[row]))
        }
    }

    /// Adds the statistics of other rows (for example another shard).
    ///
    /// - Parameter other: Statistics of disjoint rows.
    public mutating func merge(_ other: PoolStatistics) {
        shardCount += other.shardCount
        shardsMissingNPZ += other.shardsMissingNPZ
        rowCount += other.rowCount
        clipB32Scores.merge(other.clipB32Scores)
        clipL14Scores.merge(other.clipL14Scores)
        captionCharacters.merge(other.captionCharacters)
        captionWords.merge(other.captionWords)
        originalWidths.merge(other.originalWidths)
        originalHeights.merge(other.originalHeights)
    }

    /// The statistics as JSON, keys in a fixed order; quantiles as `min`, `p1` … `p99`, `max`.
    ///
    /// - Returns: A JSON object (see `datacomp pool stats`).
    public func jsonValue() -> JSONValue {
        func summary(_ distribution: PoolDistribution) -> JSONValue {
            var members: [(String, JSONValue)] = [("count", .int(distribution.count))]
            if distribution.nanCount > 0 { members.append(("nan_count", .int(distribution.nanCount))) }
            members.append(("mean", distribution.mean.map(JSONValue.double) ?? .null))
            let values = distribution.quantiles(Self.reportedQuantiles.map(\.q))
            for (index, entry) in Self.reportedQuantiles.enumerated() {
                members.append((entry.name, values[index].map(JSONValue.double) ?? .null))
            }
            return .object(members)
        }
        return .object([
            ("rows", .int(rowCount)),
            ("shards", .int(shardCount)),
            ("shards_with_npz", .int(shardCount - shardsMissingNPZ.count)),
            ("shards_missing_npz", .array(shardsMissingNPZ.map(JSONValue.string))),
            ("quantile_method", .string("numpy.quantile default (method='linear') in float64")),
            ("clip_b32_similarity_score", summary(clipB32Scores)),
            ("clip_l14_similarity_score", summary(clipL14Scores)),
            ("caption_characters", summary(captionCharacters)),
            ("caption_words", summary(captionWords)),
            ("original_width", summary(originalWidths)),
            ("original_height", summary(originalHeights)),
        ])
    }
}

extension CandidatePool {
    /// Computes ``PoolStatistics`` over every shard, several shards at a time.
    ///
    /// Reads only ``PoolStatistics/columns`` (never the `.npz` files).
    ///
    /// - Parameters:
    ///   - concurrency: The budget for the scan (see ``mapShards(columns:concurrency:progress:_:)``).
    ///   - maxRows: The largest batch.
    ///   - progress: Where progress goes; silent by default.
    /// - Returns: The merged statistics.
    /// - Throws: ``DataCompError`` from reading a shard, for example a missing column.
    public func statistics(
        concurrency: ConcurrencyBudget = .machine, maxRows: Int = 65_536, progress: some ProgressReporter = .silent
    ) async throws -> PoolStatistics {
        let parts = try await mapShards(columns: PoolStatistics.columns, concurrency: concurrency, progress: progress) {
            reader in
            var part = PoolStatistics()
            part.shardCount = 1
            if !reader.shard.hasNPZ { part.shardsMissingNPZ = [reader.shard.stem] }
            try reader.forEachBatch(maxRows: maxRows) { part.add($0) }
            return part
        }
        var total = PoolStatistics()
        for part in parts { total.merge(part) }
        return total
    }
}
