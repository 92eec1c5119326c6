import DataCompCore

/// A set of centroids that points are assigned to: by nearest centroid (squared L2, as faiss's
/// `IndexFlatL2`) or by largest inner product (`IndexFlatIP`, and DataComp's image-based filter,
/// which assigns by inner product although its centroids came from L2 k-means).
///
/// ```swift
/// import DataCompFilters
///
/// let centroids = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
/// let index = CentroidIndex(centroids: centroids, metric: .innerProduct)
/// let labels = index.assign(Tensor(shape: [1, 2], scalars: [0.2, 0.9])).labels  // [1]
/// ```
public struct CentroidIndex: Sendable {
    /// The centroids, `[k, d]`.
    public let centroids: Tensor
    /// How points are compared with centroids.
    public let metric: KMeans.Metric
    let search: Top1Search

    /// An index over the rows of `centroids`.
    ///
    /// - Precondition: `centroids` is `[k, d]` with `k >= 1`.
    public init(centroids: Tensor, metric: KMeans.Metric = .l2) {
        precondition(
            centroids.rank == 2 && centroids.shape[0] > 0,
            "centroids must be [k, d] with k >= 1, got \(centroids.shape)")
        self.centroids = centroids
        self.metric = metric
        search = Top1Search(
            centroids: centroids.scalars, clusterCount: centroids.shape[0], dimensions: centroids.shape[1],
            metric: metric)
    }

    /// The number of centroids `k`.
    public var clusterCount: Int { centroids.shape[0] }
    /// The number of values per centroid `d`.
    public var dimensions: Int { centroids.shape[1] }

    /// The centroid of each row of `points`, with its squared distance (L2) or inner product.
    ///
    /// Exact ties go to the lowest centroid index (as `torch.argmax` and faiss's flat search on
    /// small inputs do).
    ///
    /// - Parameters:
    ///   - points: `[n, d]` points.
    ///   - threads: The OpenBLAS threads for the matrix products; `nil` keeps the current setting
    ///     (as inside a pool scan, which sets each shard's share).
    /// - Returns: One label in `0..<k` and one distance or product per point.
    /// - Precondition: The points have `d` columns.
    public func assign(_ points: Tensor, threads: Int? = nil) -> (labels: [Int], scores: [Float]) {
        precondition(
            points.rank == 2 && points.shape[1] == dimensions,
            "points must be [n, \(dimensions)], got \(points.shape)")
        let count = points.shape[0]
        var labels = [Int32](repeating: 0, count: count)
        var scores = [Float](repeating: 0, count: count)
        points.withUnsafeBufferPointer { points in
            labels.withUnsafeMutableBufferPointer { labels in
                scores.withUnsafeMutableBufferPointer { scores in
                    search.search(
                        points, count: count, labels: labels, distances: scores, threads: threads,
                        pairwiseBelowThreshold: false)
                }
            }
        }
        return (labels.map(Int.init), scores)
    }
}
