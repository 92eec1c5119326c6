import DataCompCore

/// Semantic de-duplication as SemDeDup does it: one sample per group of near-duplicates.
///
/// Within each k-means cluster of the embeddings, one sample of every group whose cosine
/// similarity reaches a threshold is kept (SemDeDup: Abbas and others, 2023). Every embedding (by default `l14_img`) is L2-normalised and assigned to the centroid with the
/// largest cosine similarity. Inside a cluster the members are ranked — farthest from the
/// centroid first (SemDeDup's default, "hard" examples), or closest first — with ties broken by
/// uid, shard position and row, and each member is kept unless its cosine similarity to a member
/// already kept reaches ``threshold``. So every dropped sample has a kept near-duplicate (the
/// reference implementation drops any member similar to an earlier one, kept or not — its
/// issue #8), and the result does not depend on shard order or concurrency.
///
/// Preparing reads the pool twice or more: once to assign every sample to a cluster (8 bytes per
/// sample), then once per group of clusters whose embeddings fit in `maxResidentRows`, comparing
/// members within each cluster by matrix products.
///
/// ```swift
/// import DataCompFilters
///
/// let pool = try CandidatePool(metadataDirectory: "data/metadata")
/// let centroids = try EmbeddingFile.read(["centroids.npy"])
/// let dedup = try await SemanticDuplicateFilter.prepare(on: pool, centroids: centroids, threshold: 0.95)
/// print(dedup.duplicateCount, "near-duplicates dropped")
/// ```
public struct SemanticDuplicateFilter: FilterStrategy {
    /// Which member of a group of near-duplicates is kept.
    public enum Keep: String, Sendable, Hashable, CaseIterable {
        /// The one farthest from its centroid (SemDeDup's "hard").
        case farthestFromCentroid = "hard"
        /// The one closest to its centroid (SemDeDup's "easy").
        case closestToCentroid = "easy"
    }

    /// The embedding column compared.
    public let column: PoolColumn
    /// The cosine similarity at which two samples are duplicates.
    public let threshold: Float
    /// Which duplicate is kept.
    public let keepRule: Keep
    /// The number of clusters.
    public let clusterCount: Int
    /// The samples dropped as near-duplicates.
    public let duplicateCount: Int
    let rows: PreparedRows

    /// Prepares the filter over `pool`.
    ///
    /// - Parameters:
    ///   - pool: The pool it will filter.
    ///   - column: An embedding column (`.l14Image` by default).
    ///   - centroids: `[k, d]` cluster centres (for example from ``KMeans`` with `spherical`).
    ///   - threshold: The cosine similarity at which samples are duplicates (SemDeDup's `1 − ε`).
    ///   - keep: Which duplicate survives.
    ///   - maxResidentRows: The most embeddings held in memory at once.
    ///   - concurrency: How many shards are read at once.
    ///   - progress: Where progress goes.
    /// - Returns: The filter.
    /// - Throws: `DataCompError` for unreadable shards, a missing npz, or embeddings whose width
    ///   differs from the centroids'.
    /// - Precondition: `threshold` is a number in (-1, 1] and `maxResidentRows` is positive.
    public static func prepare(
        on pool: CandidatePool, column: PoolColumn = .l14Image, centroids: Tensor, threshold: Float = 0.95,
        keep: Keep = .farthestFromCentroid, maxResidentRows: Int = 1_000_000,
        concurrency: ConcurrencyBudget = .machine, progress: some ProgressReporter = .silent
    ) async throws -> SemanticDuplicateFilter {
        precondition(threshold > -1 && threshold <= 1, "a cosine-similarity threshold is in (-1, 1]")
        precondition(maxResidentRows > 0, "maxResidentRows must be positive")
        precondition(column.isFeatureArray, "column '\(column)' is not an embedding column")
        let index = CentroidIndex(centroids: centroids.rowNormalized(), metric: .innerProduct)
        // Pass 1: every sample's cluster and its similarity to the centroid.
        let assignments = try await pool.mapShards(columns: [column], concurrency: concurrency, progress: progress) {
            reader in
            try DataCompError.attributing(to: reader.shard.npzPath) {
                var labels: [Int32] = []
                var similarities: [Float] = []
                try reader.forEachBatch { batch in
                    let embeddings = try Self.normalized(batch, column: column, dimensions: index.dimensions)
                    let (batchLabels, scores) = index.assign(embeddings)
                    labels += batchLabels.map(Int32.init)
                    similarities += scores
                }
                return (labels: labels, similarities: similarities)
            }
        }
        var sizes = [Int](repeating: 0, count: index.clusterCount)
        for shard in assignments { for label in shard.labels { sizes[Int(label)] += 1 } }
        // Groups of clusters whose members fit in memory together.
        var groups: [[Int]] = []
        var current: [Int] = []
        var resident = 0
        for cluster in 0..<index.clusterCount where sizes[cluster] > 0 {
            if !current.isEmpty && resident + sizes[cluster] > maxResidentRows {
                groups.append(current)
                current = []
                resident = 0
            }
            current.append(cluster)
            resident += sizes[cluster]
        }
        if !current.isEmpty { groups.append(current) }
        var masks: [Int: RowMask] = [:]
        for (shard, assignment) in zip(pool.shards, assignments) {
            masks[shard.index] = RowMask(count: assignment.labels.count, repeating: true)
        }
        var duplicates = 0
        let shardPositions = Dictionary(uniqueKeysWithValues: pool.shards.enumerated().map { ($1.index, $0) })
        for group in groups {
            var isInGroup = [Bool](repeating: false, count: index.clusterCount)
            for cluster in group { isInGroup[cluster] = true }
            let inGroup = isInGroup
            // Pass 2 for this group: the members' embeddings and identities.
            let members = try await pool.mapShards(
                columns: [.uid, column], concurrency: concurrency, progress: SilentProgressReporter()
            ) { reader in
                try DataCompError.attributing(to: reader.shard.npzPath) {
                    guard let position = shardPositions[reader.shard.index] else { return [Member]() }
                    let labels = assignments[position].labels
                    let similarities = assignments[position].similarities
                    var found: [Member] = []
                    try reader.forEachBatch { batch in
                        let rows = (0..<batch.count).filter { inGroup[Int(labels[batch.shardRows[$0]])] }
                        guard !rows.isEmpty else { return }
                        let uids = batch.uids
                        let embeddings = try Self.normalized(
                            batch, column: column, dimensions: index.dimensions, rows: rows)
                        for (offset, row) in rows.enumerated() {
                            let shardRow = batch.shardRows[row]
                            found.append(
                                Member(
                                    identity: RowIdentity(
                                        uid: uids[row], shard: Int32(reader.shard.index), row: Int32(shardRow)),
                                    cluster: Int(labels[shardRow]), similarity: similarities[shardRow],
                                    embedding: Array(
                                        embeddings.scalars[
                                            (offset * index.dimensions)..<((offset + 1) * index.dimensions)])))
                        }
                    }
                    return found
                }
            }
            var byCluster: [Int: [Member]] = [:]
            for member in members.joined() { byCluster[member.cluster, default: []].append(member) }
            for cluster in group {
                for dropped in Self.duplicates(
                    in: byCluster[cluster] ?? [], threshold: threshold, keep: keep, dimensions: index.dimensions)
                {
                    masks[Int(dropped.shard)]?[Int(dropped.row)] = false
                    duplicates += 1
                }
            }
        }
        return SemanticDuplicateFilter(
            column: column, threshold: threshold, keepRule: keep, clusterCount: index.clusterCount,
            duplicateCount: duplicates, rows: PreparedRows(masks: masks))
    }

    struct Member: Sendable {
        var identity: RowIdentity
        var cluster: Int
        var similarity: Float
        var embedding: [Float]
    }

    /// The members of one cluster that have a kept near-duplicate, by the greedy rule.
    static func duplicates(in members: [Member], threshold: Float, keep: Keep, dimensions: Int) -> [RowIdentity] {
        guard members.count > 1 else { return [] }
        let ordered = members.sorted { a, b in
            if a.similarity != b.similarity {
                return keep == .farthestFromCentroid ? a.similarity < b.similarity : a.similarity > b.similarity
            }
            return a.identity < b.identity
        }
        var kept: [Float] = []  // the kept members' embeddings, row after row
        var keptCount = 0
        var dropped: [RowIdentity] = []
        let block = 512
        for start in stride(from: 0, to: ordered.count, by: block) {
            let candidates = Array(ordered[start..<min(start + block, ordered.count)])
            let matrix = Tensor(shape: [candidates.count, dimensions], scalars: candidates.flatMap(\.embedding))
            // Similarity to the members kept before this block.
            var similar = [Bool](repeating: false, count: candidates.count)
            if keptCount > 0 {
                let products = Tensor.matmul(
                    matrix, Tensor(shape: [keptCount, dimensions], scalars: kept), transposeB: true)
                for row in 0..<candidates.count {
                    for column in 0..<keptCount where products.scalars[row * keptCount + column] >= threshold {
                        similar[row] = true
                        break
                    }
                }
            }
            // Within the block, in order.
            let within = Tensor.matmul(matrix, matrix, transposeB: true)
            var keptInBlock: [Int] = []
            for row in 0..<candidates.count {
                if !similar[row] {
                    similar[row] = keptInBlock.contains { within.scalars[row * candidates.count + $0] >= threshold }
                }
                if similar[row] {
                    dropped.append(candidates[row].identity)
                } else {
                    keptInBlock.append(row)
                }
            }
            for row in keptInBlock { kept += candidates[row].embedding }
            keptCount += keptInBlock.count
        }
        return dropped
    }

    /// The L2-normalised embeddings of `rows` (all rows by default) of a batch.
    static func normalized(_ batch: PoolBatch, column: PoolColumn, dimensions: Int, rows: [Int]? = nil) throws -> Tensor
    {
        let embeddings = batch.embeddings(column)
        guard embeddings.dimensions == dimensions else {
            throw DataCompError(
                .shapeMismatch,
                "the pool's \(column.name) has \(embeddings.dimensions) values per row but the centroids have \(dimensions); use centroids of the same embeddings",
                position: .row(batch.shardRows.first ?? 0))
        }
        let selected = rows.map { embeddings.gathering($0) } ?? embeddings
        return Tensor(selected).rowNormalized()
    }

    /// The pool columns it reads while filtering (none: it was prepared).
    public var columns: Set<PoolColumn> { [] }

    /// How reports name it.
    public var description: String {
        "no \(column.name) within cosine \(threshold) of a kept sample of its cluster (\(keepRule.rawValue) kept)"
    }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] {
        [
            ("features", .string(column.name)), ("threshold", .shortest(threshold)),
            ("keep", .string(keepRule.rawValue)),
            ("clusters", .int(clusterCount)), ("duplicates", .int(duplicateCount)),
        ]
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        try rows.keep(batch, among: candidates, what: "the semantic-duplicate filter")
    }
}
