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
    /// `threads` sets OpenBLAS's threads for the products (`nil` keeps the setting). With `pairwiseBelowThreshold`, small inputs are compared pair by pair as faiss does (its
    /// exact distances); otherwise every input goes through GEMM, as a PyTorch `einsum` would.
    func search(
        _ points: UnsafeBufferPointer<Float>, count: Int, labels: UnsafeMutableBufferPointer<Int32>,
        distances: UnsafeMutableBufferPointer<Float>, threads: Int?, pairwiseBelowThreshold: Bool
    ) {
        precondition(points.count >= count * dimensions && labels.count >= count && distances.count >= count)
        guard count > 0 else { return }
        if pairwiseBelowThreshold && count * dimensions < Self.blasThreshold {
            searchPairwise(points, count: count, labels: labels, distances: distances)
        } else if let threads {
            BLASThreads.withCount(threads) {
                searchByGEMM(points, count: count, labels: labels, distances: distances, scanThreads: threads)
            }
        } else {
            searchByGEMM(points, count: count, labels: labels, distances: distances, scanThreads: 1)
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
        distances: UnsafeMutableBufferPointer<Float>, scanThreads: Int
    ) {
        let rowsPerBlock = min(Self.pointBlock, count)
        let columnsPerBlock = min(Self.centroidBlock, clusterCount)
        let products = UnsafeMutableBufferPointer<Float>.allocate(capacity: rowsPerBlock * columnsPerBlock)
        defer { products.deallocate() }
        let keys = UnsafeMutableBufferPointer<Float>.allocate(capacity: rowsPerBlock)
        defer { keys.deallocate() }
        let isL2 = metric == .l2
        centroids.withUnsafeBufferPointer { centroids in
            centroidNorms.withUnsafeBufferPointer { norms in
                for start in stride(from: 0, to: count, by: rowsPerBlock) {
                    let rows = min(rowsPerBlock, count - start)
                    keys.update(repeating: isL2 ? .infinity : -.infinity)
                    let best = UnsafeMutableBufferPointer(rebasing: labels[start..<(start + rows)])
                    best.update(repeating: 0)
                    let block = MatrixView(
                        points.requiredBaseAddress + start * dimensions, rows: rows, columns: dimensions)
                    for first in stride(from: 0, to: clusterCount, by: columnsPerBlock) {
                        let columns = min(columnsPerBlock, clusterCount - first)
                        GEMM.multiply(
                            block,
                            MatrixView(
                                centroids.requiredBaseAddress + first * dimensions, rows: columns, columns: dimensions),
                            into: MutableMatrixView(products.requiredBaseAddress, rows: rows, columns: columns),
                            transposeB: true)
                        // The per-row scan of the products, split over the threads.
                        let scan = Scan(
                            products: UnsafePointer(products.requiredBaseAddress), columns: columns, first: first,
                            norms: norms.baseAddress, keys: keys.requiredBaseAddress, best: best.requiredBaseAddress,
                            isL2: isL2)
                        let chunks = min(scanThreads, rows)
                        _ = try? BoundedFanOut.mapBlocking(chunks, width: chunks, makeState: {}) { chunk, _ in
                            scan.run(rows: (rows * chunk / chunks)..<(rows * (chunk + 1) / chunks))
                        }
                    }
                    for r in 0..<rows {
                        if isL2 {
                            let norm = FaissReductions.normSquared(block.base + r * dimensions, count: dimensions)
                            distances[start + r] = max(0, keys[r] + norm)
                        } else {
                            distances[start + r] = keys[r]
                        }
                    }
                }
            }
        }
    }

    /// One pass of the argmin (L2) or argmax (inner product) over a tile of products, for a range
    /// of its rows; ranges of different threads touch different rows.
    private struct Scan: @unchecked Sendable {
        // Pointers into buffers owned by searchByGEMM, alive for the whole scan.
        let products: UnsafePointer<Float>
        let columns: Int
        let first: Int
        let norms: UnsafePointer<Float>?
        let keys: UnsafeMutablePointer<Float>
        let best: UnsafeMutablePointer<Int32>
        let isL2: Bool

        func run(rows: Range<Int>) {
            for r in rows {
                let line = products + r * columns
                var key = keys[r]
                var label = best[r]
                if isL2, let norms {
                    for c in 0..<columns {
                        // faiss's key: ‖c‖² − 2⟨x, c⟩ with one rounding (an FMA).
                        let value = norms[first + c].addingProduct(line[c], -2)
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
    }
}
