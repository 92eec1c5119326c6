import DataCompCore

/// Keeps the samples whose embedding falls in one of a set of target clusters: the cluster test
/// of DataComp's image-based baselines.
///
/// Each sample's embedding (by default the `l14_img` array of the pool's `.npz`) is assigned to
/// the centroid with the **largest inner product**, as DataComp's `get_centroid_ids_gpu` does
/// (not the nearest in L2, although the centroids come from L2 k-means); the sample is kept if
/// that centroid is a target. DataComp's targets are the distinct centroids that the ImageNet-1k
/// training images' embeddings are assigned to, the same way: build the filter with
/// ``init(column:centroids:referenceEmbeddings:assetPaths:)``.
///
/// ```swift
/// import DataCompFilters
///
/// let centroids = try EmbeddingFile.read(["small_centroids_l14.pt"])
/// let reference = try EmbeddingFile.read((0..<5).map { "in1k_clip_vit_l14_\($0).pt" })
/// let clusters = ClusterFilter(centroids: centroids, referenceEmbeddings: reference)
/// print(clusters)  // l14_img in 1 of 123 target clusters of 100000 (largest inner product)
/// ```
public struct ClusterFilter: FilterStrategy {
    /// The embedding column assigned to clusters.
    public let column: PoolColumn
    /// The centroids, compared by inner product.
    public let index: CentroidIndex
    /// The clusters whose samples are kept, ascending.
    public let targetClusters: [Int]
    /// The files the centroids and targets came from, for the report.
    public let assetPaths: [String]
    private let isTarget: [Bool]

    /// Keeps the samples of `column` assigned to one of `targetClusters` of `centroids`.
    ///
    /// - Parameters:
    ///   - column: An embedding column (`.l14Image` by default).
    ///   - centroids: `[k, d]` centroids.
    ///   - targetClusters: Cluster indices in `0..<k`.
    ///   - assetPaths: The files the centroids came from, recorded in the report.
    /// - Precondition: `column` is an embedding column and every target is in `0..<k`.
    public init(
        column: PoolColumn = .l14Image, centroids: Tensor, targetClusters: some Sequence<Int>, assetPaths: [String] = []
    ) {
        precondition(column.isFeatureArray, "column '\(column)' is not an embedding column")
        let index = CentroidIndex(centroids: centroids, metric: .innerProduct)
        var isTarget = [Bool](repeating: false, count: index.clusterCount)
        for cluster in targetClusters {
            precondition(
                cluster >= 0 && cluster < index.clusterCount, "cluster \(cluster) outside 0..<\(index.clusterCount)")
            isTarget[cluster] = true
        }
        self.column = column
        self.index = index
        self.isTarget = isTarget
        self.targetClusters = isTarget.indices.filter { isTarget[$0] }
        self.assetPaths = assetPaths
    }

    /// Keeps the samples of `column` that share a cluster with at least one of
    /// `referenceEmbeddings`, clusters being decided by largest inner product with `centroids`
    /// (DataComp's `image_filter_helper` with its ImageNet targets).
    ///
    /// - Parameters:
    ///   - column: An embedding column (`.l14Image` by default).
    ///   - centroids: `[k, d]` centroids.
    ///   - referenceEmbeddings: `[m, d]` embeddings that mark the target clusters.
    ///   - assetPaths: The files the centroids and embeddings came from, for the report.
    /// - Precondition: The widths agree.
    public init(
        column: PoolColumn = .l14Image, centroids: Tensor, referenceEmbeddings: Tensor, assetPaths: [String] = []
    ) {
        let labels = CentroidIndex(centroids: centroids, metric: .innerProduct).assign(referenceEmbeddings).labels
        self.init(column: column, centroids: centroids, targetClusters: Set(labels), assetPaths: assetPaths)
    }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [column] }

    /// How reports name it.
    public var description: String {
        "\(column.name) in 1 of \(targetClusters.count) target clusters of \(index.clusterCount) (largest inner product)"
    }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] {
        [
            ("features", .string(column.name)), ("clusters", .int(index.clusterCount)),
            ("target_clusters", .int(targetClusters.count)), ("assignment", .string("largest inner product")),
        ]
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        let rows = Array(candidates.selectedIndices)
        guard !rows.isEmpty else { return candidates }
        let embeddings = batch.embeddings(column)
        guard embeddings.dimensions == index.dimensions else {
            throw DataCompError(
                .shapeMismatch,
                "the pool's \(column.name) has \(embeddings.dimensions) values per row but the centroids have \(index.dimensions); use centroids computed on the same embeddings",
                position: .row(batch.shardRows.first ?? 0))
        }
        let labels = index.assign(Tensor(embeddings.gathering(rows))).labels
        var mask = RowMask(count: batch.count)
        for (row, label) in zip(rows, labels) where isTarget[label] { mask[row] = true }
        return mask
    }
}
