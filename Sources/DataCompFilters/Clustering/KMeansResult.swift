import DataCompCore

/// The outcome of ``KMeans/train(_:concurrency:progress:)``.
public struct KMeansResult: Sendable {
    /// The centroids, `[k, d]`.
    public var centroids: Tensor
    /// The objective of every iteration (the sum of the points' distances to their assigned
    /// centroids before that iteration's update; for inner products, the sum of the products),
    /// over all restarts up to the one kept, as faiss's `iteration_stats[i].obj`.
    public var objectives: [Float]
    /// The number of empty clusters split in every iteration.
    public var splits: [Int]

    /// Creates a result.
    public init(centroids: Tensor, objectives: [Float], splits: [Int]) {
        self.centroids = centroids
        self.objectives = objectives
        self.splits = splits
    }
}
