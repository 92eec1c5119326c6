import DataCompCore

/// k-means clustering with faiss's semantics, on BLAS: assignment by GEMM, then the centroid
/// update.
///
/// The algorithm is faiss's `Clustering::train` (faiss 1.15, CPU): the initial centroids are the
/// first `k` points of faiss's `rand_perm` with seed `seed + 1`, each iteration assigns every
/// point to its nearest centroid, recomputes each centroid as the mean of its points (summed in
/// point order in `Float`), splits empty clusters as faiss does (a donor chosen with probability
/// proportional to its size − 1 by an MT19937 seeded 1234, perturbed by ±1/1024), renormalises
/// spherical centroids, and stops early when the objective repeats exactly. Inputs with more than
/// `k × maxPointsPerCentroid` points are subsampled with faiss's permutation. On small inputs
/// (points × dimensions < 128 000) the result equals faiss-cpu's bit for bit; on larger ones
/// the matrix products' last bits differ, so points almost equidistant from two centroids may
/// go either way and the clustering can settle in an equally good neighbouring optimum.
///
/// The defaults are DataComp's `baselines/image_based_clustering.py`: 20 iterations, seed 0, no
/// subsampling below 10 million points per centroid, L2. ``faissDefaults(clusterCount:spherical:)`` gives
/// `faiss.Kmeans`'s (25 iterations, seed 1234, at most 256 points per centroid).
///
/// ```swift
/// import DataCompFilters
///
/// let points = Tensor(shape: [6, 2], scalars: [0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10])
/// let result = try KMeans(clusterCount: 2).train(points)
/// print(result.centroids.shape, result.objectives.last ?? 0)  // [2, 2] …
/// let labels = CentroidIndex(centroids: result.centroids).assign(points).labels
/// ```
public struct KMeans: Sendable, Hashable {
    /// How points are compared with centroids.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Squared Euclidean distance: the nearest centroid (`IndexFlatL2`).
        case l2
        /// Inner product: the centroid with the largest inner product (`IndexFlatIP`).
        case innerProduct = "inner_product"
    }

    /// The number of clusters `k`.
    public var clusterCount: Int
    /// The number of iterations (`niter`).
    public var iterations: Int
    /// The random seed (`seed`).
    public var seed: Int
    /// Inputs with more than `clusterCount × maxPointsPerCentroid` points are subsampled.
    public var maxPointsPerCentroid: Int
    /// Whether centroids are renormalised to unit length after every update (`spherical`).
    public var spherical: Bool
    /// How points are assigned to centroids during training.
    public var metric: Metric
    /// The number of restarts; the run with the best final objective is kept (`nredo`).
    public var redos: Int

    /// A k-means configuration; the defaults are DataComp's.
    ///
    /// - Precondition: `clusterCount`, `iterations`, `maxPointsPerCentroid` and `redos` are
    ///   positive and `seed` is not negative.
    public init(
        clusterCount: Int, iterations: Int = 20, seed: Int = 0, maxPointsPerCentroid: Int = 10_000_000,
        spherical: Bool = false, metric: Metric = .l2, redos: Int = 1
    ) {
        precondition(clusterCount > 0, "k-means needs at least one cluster")
        precondition(iterations > 0 && redos > 0 && maxPointsPerCentroid > 0, "k-means needs positive counts")
        precondition(seed >= 0, "a negative seed means a clock seed in faiss; pass a fixed seed")
        self.clusterCount = clusterCount
        self.iterations = iterations
        self.seed = seed
        self.maxPointsPerCentroid = maxPointsPerCentroid
        self.spherical = spherical
        self.metric = metric
        self.redos = redos
    }

    /// `faiss.Kmeans(d, k)`'s defaults: 25 iterations, seed 1234, at most 256 points per
    /// centroid, L2 (inner product when `spherical`).
    public static func faissDefaults(clusterCount: Int, spherical: Bool = false) -> KMeans {
        KMeans(
            clusterCount: clusterCount, iterations: 25, seed: 1234, maxPointsPerCentroid: 256, spherical: spherical,
            metric: spherical ? .innerProduct : .l2)
    }

    /// Clusters the rows of `points`.
    ///
    /// - Parameters:
    ///   - points: `[n, d]` points, `n >= clusterCount`, every value finite.
    ///   - concurrency: The threads the matrix products may use.
    ///   - progress: Receives one step per iteration (label `k-means`).
    /// - Returns: The centroids and the objective of every iteration.
    /// - Throws: `DataCompError` with code `invalidArgument` when there are fewer points than
    ///   clusters or a value is not finite (as faiss refuses them).
    public func train(
        _ points: Tensor, concurrency: ConcurrencyBudget = .machine, progress: some ProgressReporter = .silent
    ) throws -> KMeansResult {
        precondition(points.rank == 2, "k-means needs [n, d] points, got shape \(points.shape)")
        let (count, dimensions) = (points.shape[0], points.shape[1])
        let k = clusterCount
        guard count >= k else {
            throw DataCompError(
                .invalidArgument,
                "k-means with \(k) clusters needs at least \(k) points, got \(count); lower the number of clusters")
        }
        if let row = points.scalars.firstIndex(where: { !$0.isFinite }) {
            throw DataCompError(
                .invalidArgument,
                "the points contain a value that is not finite (row \(row / max(dimensions, 1))); faiss refuses NaN and Inf too",
                position: .row(row / max(dimensions, 1)))
        }
        var data = points.scalars
        var n = count
        // Subsampling: the first k·max points of rand_perm(n, seed), in permutation order.
        let (limit, overflow) = k.multipliedReportingOverflow(by: maxPointsPerCentroid)
        if !overflow, n > limit {
            let permutation = FaissRandom.permutation(count: n, seed: seed, prefix: limit)
            data = Self.gather(rows: permutation[0..<limit], from: data, dimensions: dimensions)
            n = limit
        }
        if n == k {
            // faiss's corner case: the first k points of the original input, no iterations.
            return KMeansResult(
                centroids: Tensor(shape: [k, dimensions], scalars: Array(points.scalars[0..<(k * dimensions)])),
                objectives: [0], splits: [0])
        }
        let tracker = ProgressTracker(
            label: "k-means", total: iterations * redos, unit: "iterations", reporter: progress)
        defer { tracker.finish() }
        var best: (objective: Float, result: KMeansResult)?
        var objectives: [Float] = []
        var splits: [Int] = []
        var labels = [Int32](repeating: 0, count: n)
        var distances = [Float](repeating: 0, count: n)
        for redo in 0..<redos {
            let permutation = FaissRandom.permutation(count: n, seed: seed &+ 1 &+ redo &* 15_486_557, prefix: k)
            var centroids = Self.gather(rows: permutation[0..<k], from: data, dimensions: dimensions)
            postProcess(&centroids, dimensions: dimensions)
            var objective: Float = 0
            for iteration in 0..<iterations {
                let search = Top1Search(centroids: centroids, clusterCount: k, dimensions: dimensions, metric: metric)
                data.withUnsafeBufferPointer { data in
                    labels.withUnsafeMutableBufferPointer { labels in
                        distances.withUnsafeMutableBufferPointer { distances in
                            search.search(
                                data, count: n, labels: labels, distances: distances, threads: concurrency.width,
                                pairwiseBelowThreshold: true)
                        }
                    }
                }
                objective = 0
                for distance in distances { objective += distance }
                var sizes = Self.updateCentroids(
                    &centroids, data: data, labels: labels, clusterCount: k, dimensions: dimensions,
                    threads: concurrency.width)
                splits.append(Self.splitEmptyClusters(&centroids, sizes: &sizes, pointCount: n, dimensions: dimensions))
                objectives.append(objective)
                postProcess(&centroids, dimensions: dimensions)
                tracker.advance()
                // faiss stops when the objective repeats exactly (early_stop_threshold 0).
                if iteration > 0, objectives[objectives.count - 2] != 0, objectives[objectives.count - 2] == objective {
                    break
                }
            }
            // Statistics accumulate over restarts, as faiss's iteration_stats do.
            let result = KMeansResult(
                centroids: Tensor(shape: [k, dimensions], scalars: centroids), objectives: objectives, splits: splits)
            let improves: Bool
            if let best {
                improves = metric == .l2 ? objective < best.objective : objective > best.objective
            } else {
                improves = true
            }
            if improves { best = (objective, result) }
        }
        guard let best else { preconditionFailure("at least one restart ran") }
        return best.result
    }

    private func postProcess(_ centroids: inout [Float], dimensions: Int) {
        guard spherical else { return }
        centroids.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<clusterCount {
                let base = buffer.requiredBaseAddress + row * dimensions
                let norm = FaissReductions.normSquared(base, count: dimensions)
                guard norm > 0 else { continue }
                let inverse = Float(1.0 / Double(norm.squareRoot()))
                for j in 0..<dimensions { base[j] *= inverse }
            }
        }
    }

    /// faiss's `compute_centroids`: each centroid the mean of its points, summed in point order.
    ///
    /// Returns the cluster sizes (as `Float` counters, as faiss keeps them).
    static func updateCentroids(
        _ centroids: inout [Float], data: [Float], labels: [Int32], clusterCount: Int, dimensions: Int,
        threads: Int = 1
    ) -> [Float] {
        var sizes = [Float](repeating: 0, count: clusterCount)
        for label in labels { sizes[Int(label)] += 1 }
        centroids.withUnsafeMutableBufferPointer { centroids in
            centroids.update(repeating: 0)
            data.withUnsafeBufferPointer { data in
                labels.withUnsafeBufferPointer { labels in
                    // As faiss: each thread owns a range of clusters and adds their points in point
                    // order, so every sum is the same whatever the thread count.
                    let update = CentroidSums(
                        centroids: centroids.requiredBaseAddress, data: data.requiredBaseAddress,
                        labels: labels.requiredBaseAddress, pointCount: labels.count, dimensions: dimensions)
                    let parts = max(1, min(threads, clusterCount))
                    _ = try? BoundedFanOut.mapBlocking(parts, width: parts, makeState: {}) { part, _ in
                        update.add(clusters: (clusterCount * part / parts)..<(clusterCount * (part + 1) / parts))
                    }
                }
            }
            for cluster in 0..<clusterCount where sizes[cluster] != 0 {
                let scale = 1 / sizes[cluster]
                let target = centroids.requiredBaseAddress + cluster * dimensions
                for j in 0..<dimensions { target[j] *= scale }
            }
        }
        return sizes
    }

    /// The sums of the points of a range of clusters.
    private struct CentroidSums: @unchecked Sendable {
        // Pointers into buffers owned by updateCentroids for the duration of the update; threads
        // write disjoint centroids.
        let centroids: UnsafeMutablePointer<Float>
        let data: UnsafePointer<Float>
        let labels: UnsafePointer<Int32>
        let pointCount: Int
        let dimensions: Int

        func add(clusters: Range<Int>) {
            for point in 0..<pointCount {
                let cluster = Int(labels[point])
                guard clusters.contains(cluster) else { continue }
                let target = centroids + cluster * dimensions
                let source = data + point * dimensions
                for j in 0..<dimensions { target[j] += source[j] }
            }
        }
    }

    /// faiss's `split_clusters`: every empty cluster takes a perturbed copy of a donor.
    static func splitEmptyClusters(_ centroids: inout [Float], sizes: inout [Float], pointCount: Int, dimensions: Int)
        -> Int
    {
        let k = sizes.count
        let epsilon: Float = 1.0 / 1024.0
        var random = FaissRandom(seed: 1234)
        var splits = 0
        for empty in 0..<k where sizes[empty] == 0 {
            var donor = 0
            var found = false
            var tries = 0
            while tries < 10 * k {
                let probability = Float((Double(sizes[donor]) - 1.0) / Double(Float(pointCount - k)))
                if random.nextFloat() < probability {
                    found = true
                    break
                }
                tries += 1
                donor = (donor + 1) % k
            }
            if !found {
                donor = 0
                for cluster in 1..<k where sizes[cluster] > sizes[donor] { donor = cluster }
            }
            for j in 0..<dimensions {
                let value = centroids[donor * dimensions + j]
                if j % 2 == 0 {
                    centroids[empty * dimensions + j] = value * (1 + epsilon)
                    centroids[donor * dimensions + j] = value * (1 - epsilon)
                } else {
                    centroids[empty * dimensions + j] = value * (1 - epsilon)
                    centroids[donor * dimensions + j] = value * (1 + epsilon)
                }
            }
            sizes[empty] = sizes[donor] / 2
            sizes[donor] -= sizes[empty]
            splits += 1
        }
        return splits
    }

    static func gather(rows: ArraySlice<Int>, from data: [Float], dimensions: Int) -> [Float] {
        var result = [Float]()
        result.reserveCapacity(rows.count * dimensions)
        for row in rows { result += data[(row * dimensions)..<((row + 1) * dimensions)] }
        return result
    }
}
