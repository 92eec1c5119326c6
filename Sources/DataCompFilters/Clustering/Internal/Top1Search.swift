import DataCompCore
internal import DataCompKernels

/// For each point, the centroid with the smallest squared L2 distance or the largest inner
/// product, as faiss's `IndexFlatL2` / `IndexFlatIP` `search(x, k=1)` finds it on a CPU.
///
/// Small inputs (points × dimensions < 128 000, faiss's `distance_compute_blas_threshold`)
/// compare every pair directly in faiss's summation order, so they give faiss's exact
/// distances and labels; larger ones compute inner products by GEMM in tiles of 4096 points ×
/// 1024 centroids and rank centroids by `‖c‖² − 2⟨x, c⟩` (L2) or `⟨x, c⟩` (inner product),
/// lowest index first on exact ties. The GEMM's last bits may differ from faiss's, so near-ties
/// can go either way there.
struct Top1Search {
    let centroids: [Float]
    let clusterCount: Int
    let dimensions: Int
    let metric: KMeans.Metric
    /// ‖c‖² of every centroid, in faiss's order (L2 only).
    let centroidNorms: [Float]

    static let blasThreshold = 128_000
    static let pointBlock = 4096
    static let centroidBlock = 1024

    init(centroids: [Float], clusterCount: Int, dimensions: Int, metric: KMeans.Metric) {
        precondition(centroids.count == clusterCount * dimensions, "centroids are not [\(clusterCount), \(dimensions)]")
        self.centroids = centroids
        self.clusterCount = clusterCount
        self.dimensions = dimensions
        self.metric = metric
        centroidNorms =
            metric == .l2
            ? centroids.withUnsafeBufferPointer { base in
                (0..<clusterCount).map {
                    FaissReductions.normSquared(base.requiredBaseAddress + $0 * dimensions, count: dimensions)
                }
            } : []
    }

    /// Labels and distances (squared L2, or inner products) for `count` points of `dimensions` values.
    ///
    /// `threads` is the number of threads for the products (`nil`: one, with OpenBLAS's threads as
    /// they are set). With `pairwiseBelowThreshold`, small inputs are compared pair by pair as
    /// faiss does (its exact distances); otherwise every input goes through GEMM, as a PyTorch
    /// `einsum` would.
    func search(
        _ points: UnsafeBufferPointer<Float>, count: Int, labels: UnsafeMutableBufferPointer<Int32>,
        distances: UnsafeMutableBufferPointer<Float>, threads: Int?, pairwiseBelowThreshold: Bool
    ) {
        precondition(points.count >= count * dimensions && labels.count >= count && distances.count >= count)
        guard count > 0 else { return }
        if pairwiseBelowThreshold && count * dimensions < Self.blasThreshold {
            searchPairwise(points, count: count, labels: labels, distances: distances)
        } else {
            searchByGEMM(points, count: count, labels: labels, distances: distances, threads: threads)
        }
    }

    private func searchPairwise(
        _ points: UnsafeBufferPointer<Float>, count: Int, labels: UnsafeMutableBufferPointer<Int32>,
        distances: UnsafeMutableBufferPointer<Float>
    ) {
        centroids.withUnsafeBufferPointer { centroids in
            let x = points.requiredBaseAddress
            let y = centroids.requiredBaseAddress
            for i in 0..<count {
                let point = x + i * dimensions
                var best: Float = metric == .l2 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude
                var label: Int32 = -1
                for j in 0..<clusterCount {
                    if metric == .l2 {
                        let distance = FaissReductions.distanceSquared(point, y + j * dimensions, count: dimensions)
                        if distance < best {
                            best = distance
                            label = Int32(j)
                        }
                    } else {
                        let product = FaissReductions.innerProduct(point, y + j * dimensions, count: dimensions)
                        if product > best {
                            best = product
                            label = Int32(j)
                        }
                    }
                }
                labels[i] = label
                distances[i] = best
            }
        }
    }

    private func searchByGEMM(
        _ points: UnsafeBufferPointer<Float>, count: Int, labels: UnsafeMutableBufferPointer<Int32>,
        distances: UnsafeMutableBufferPointer<Float>, threads: Int?
    ) {
        let rowsPerBlock = min(Self.pointBlock, count)
        let columnsPerBlock = min(Self.centroidBlock, clusterCount)
        let blockCount = (count + rowsPerBlock - 1) / rowsPerBlock
        // Blocks of points go to the threads, each multiplying on one BLAS thread: no BLAS thread
        // spins while the products are scanned. A single block uses BLAS's threads instead.
        let workers = max(1, min(threads ?? 1, blockCount))
        centroids.withUnsafeBufferPointer { centroids in
            centroidNorms.withUnsafeBufferPointer { norms in
                let job = GEMMSearch(
                    points: points.requiredBaseAddress, count: count, dimensions: dimensions,
                    centroids: centroids.requiredBaseAddress, clusterCount: clusterCount, norms: norms.baseAddress,
                    isL2: metric == .l2, rowsPerBlock: rowsPerBlock, columnsPerBlock: columnsPerBlock,
                    labels: labels.requiredBaseAddress, distances: distances.requiredBaseAddress)
                let run = {
                    _ = try? BoundedFanOut.mapBlocking(
                        blockCount, width: workers,
                        makeState: { SearchScratch(rows: rowsPerBlock, columns: columnsPerBlock) }
                    ) { block, scratch in job.run(block: block, scratch: &scratch) }
                }
                if workers > 1 {
                    BLASThreads.withCount(1, run)
                } else if let threads {
                    BLASThreads.withCount(threads, run)
                } else {
                    run()
                }
            }
        }
    }

    /// One worker's buffers: a tile of products and the best key of each row of a block.
    private struct SearchScratch {
        var products: [Float]
        var keys: [Float]

        init(rows: Int, columns: Int) {
            products = [Float](repeating: 0, count: rows * columns)
            keys = [Float](repeating: 0, count: rows)
        }
    }

    /// The search of one block of points: a GEMM per tile of centroids, then the per-row argmin
    /// (L2) or argmax (inner product) of the tile; blocks write disjoint rows of the outputs.
    private struct GEMMSearch: @unchecked Sendable {
        // Pointers into buffers owned by searchByGEMM's caller for the whole search.
        let points: UnsafePointer<Float>
        let count: Int
        let dimensions: Int
        let centroids: UnsafePointer<Float>
        let clusterCount: Int
        let norms: UnsafePointer<Float>?
        let isL2: Bool
        let rowsPerBlock: Int
        let columnsPerBlock: Int
        let labels: UnsafeMutablePointer<Int32>
        let distances: UnsafeMutablePointer<Float>

        func run(block: Int, scratch: inout SearchScratch) {
            let start = block * rowsPerBlock
            let rows = min(rowsPerBlock, count - start)
            let best = labels + start
            scratch.products.withUnsafeMutableBufferPointer { products in
                scratch.keys.withUnsafeMutableBufferPointer { keys in
                    keys.update(repeating: isL2 ? .infinity : -.infinity)
                    best.update(repeating: 0, count: rows)
                    let points = MatrixView(self.points + start * dimensions, rows: rows, columns: dimensions)
                    for first in stride(from: 0, to: clusterCount, by: columnsPerBlock) {
                        let columns = min(columnsPerBlock, clusterCount - first)
                        GEMM.multiply(
                            points, MatrixView(centroids + first * dimensions, rows: columns, columns: dimensions),
                            into: MutableMatrixView(products.requiredBaseAddress, rows: rows, columns: columns),
                            transposeB: true)
                        for r in 0..<rows {
                            let line = products.requiredBaseAddress + r * columns
                            var key = keys[r]
                            var label = best[r]
                            if isL2, let norms {
                                // faiss's key ‖c‖² − 2⟨x, c⟩ (faiss rounds it once with an FMA; the
                                // products' own last bits differ from faiss's anyway).
                                for c in 0..<columns {
                                    let value = norms[first + c] - 2 * line[c]
                                    if value < key {
                                        key = value
                                        label = Int32(first + c)
                                    }
                                }
                            } else {
                                for c in 0..<columns where line[c] > key {
                                    key = line[c]
                                    label = Int32(first + c)
                                }
                            }
                            keys[r] = key
                            best[r] = label
                        }
                    }
                    for r in 0..<rows {
                        if isL2 {
                            let norm = FaissReductions.normSquared(points.base + r * dimensions, count: dimensions)
                            distances[start + r] = max(0, keys[r] + norm)
                        } else {
                            distances[start + r] = keys[r]
                        }
                    }
                }
            }
        }
    }
}
