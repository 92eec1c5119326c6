import ArgumentParser
import DataComp
import Foundation

/// `datacomp kmeans --metadata-dir DIR --save-path OUT`: DataComp's
/// `baselines/image_based_clustering.py` on the CPU.
struct KMeansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmeans",
        abstract: "Cluster a pool's embeddings with k-means (faiss's semantics) and write the centroids.",
        discussion: """
            Mirrors DataComp's baselines/image_based_clustering.py: reads --embedding-key of every \
            metadata file (in sorted file order), keeps the rows that pass the image-based \
            baselines' caption filter unless --disable-caption-filtering, optionally samples \
            --sample-ratio of each file (with replacement, as DataComp, but seeded), and runs \
            k-means with faiss's algorithm (20 iterations, seed 0, no subsampling below 10 million \
            points per centroid, L2). The centroids are written as .npy, or as a torch.save file \
            (.pt, the NumPy array pickled as DataComp saves its centroids), for \
            `datacomp filter --centroids`.
            """
    )

    @Option(
        name: [.customLong("metadata-dir"), .customLong("metadata_dir")],
        help: "The metadata folder (*.parquet with *.npz).")
    var metadataDirectory: String

    @Option(
        name: [.customLong("save-path"), .customLong("save_path")], help: "The centroid file to write (.npy or .pt).")
    var savePath: String

    @Option(name: [.customLong("num-clusters"), .customLong("num_clusters")], help: "The number of clusters.")
    var numClusters = 100_000

    @Option(
        name: [.customLong("embedding-key"), .customLong("embedding_key")], help: "The npz array clustered.")
    var embeddingKey = "l14_img"

    @Option(
        name: [.customLong("sample-ratio"), .customLong("sample_ratio")],
        help: "Sample this share of each file's rows (with replacement); -1 keeps every row.")
    var sampleRatio = -1.0

    @Flag(
        name: [.customLong("disable-caption-filtering"), .customLong("disable_caption_filtering")],
        help: "Cluster every row, not only those passing the caption filter.")
    var disableCaptionFiltering = false

    @Option(help: "The random seed.")
    var seed = 0

    @Option(name: [.customLong("num-iterations"), .customLong("niter")], help: "The number of k-means iterations.")
    var iterations = 20

    @Option(
        name: [.customLong("max-points-per-centroid")],
        help: "Subsample above this many points per centroid, as faiss does.")
    var maxPointsPerCentroid = 10_000_000

    @Flag(help: "Renormalise the centroids to unit length after every update (faiss's spherical k-means).")
    var spherical = false

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")],
        help: "Threads for reading files and for the matrix products (default: the number of cores).")
    var numWorkers = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        name: [.customLong("num-gpus"), .customLong("num_gpus")],
        help: "Accepted for compatibility with image_based_clustering.py and ignored.")
    var numGPUs: Int?

    func validate() throws {
        guard numClusters > 0 else { throw ValidationError("--num-clusters must be positive") }
        guard numWorkers > 0 else { throw ValidationError("--num-workers must be positive") }
        guard iterations > 0 else { throw ValidationError("--num-iterations must be positive") }
        guard seed >= 0 else { throw ValidationError("--seed must not be negative") }
        guard sampleRatio < 0 || (sampleRatio > 0 && sampleRatio <= 1) else {
            throw ValidationError("--sample-ratio must be in (0, 1], or negative to keep every row")
        }
        guard savePath.hasSuffix(".npy") || savePath.hasSuffix(".pt") else {
            throw ValidationError("--save-path must end in .npy or .pt")
        }
    }

    func run() async throws {
        let pool = try CandidatePool(metadataDirectory: metadataDirectory)
        let column = PoolColumn.features(embeddingKey)
        let filter: (any FilterStrategy)? =
            disableCaptionFiltering
            ? nil : CaptionFilterRules.captionFilter(try LanguageIdentifier(resolver: .commandLine()))
        let budget = ConcurrencyBudget(width: numWorkers)
        let ratio = sampleRatio
        let seed = UInt64(seed)
        let perShard = try await pool.mapShards(
            columns: Set([column, PoolColumn.uid]).union(filter?.columns ?? []), concurrency: budget,
            progress: TerminalProgressReporter()
        ) { reader in
            var rows: [Float] = []
            var width = 0
            try reader.forEachBatch { batch in
                let mask = try filter?.keep(batch) ?? RowMask(count: batch.count, repeating: true)
                let embeddings = batch.embeddings(column)
                width = embeddings.dimensions
                rows += Tensor(embeddings.gathering(mask.selectedIndices)).scalars
            }
            guard ratio > 0, width > 0 else { return (rows, width) }
            // DataComp: np.random.choice(n, size=int(n * ratio)) per file, with replacement.
            let count = rows.count / width
            var generator = SplitMix64(seed: seed, stream: UInt64(reader.shard.index))
            var sampled: [Float] = []
            for _ in 0..<Int(Double(count) * ratio) {
                let row = Int(generator.next() % UInt64(count))
                sampled += rows[(row * width)..<((row + 1) * width)]
            }
            return (sampled, width)
        }
        let width = perShard.map { $0.1 }.max() ?? 0
        let scalars = perShard.flatMap { $0.0 }
        let points = Tensor(shape: [width == 0 ? 0 : scalars.count / width, width], scalars: scalars)
        FileHandle.standardError.write(
            Data("clustering \(points.shape[0]) points of \(width) values into \(numClusters) clusters\n".utf8))
        let kmeans = KMeans(
            clusterCount: numClusters, iterations: iterations, seed: Int(seed),
            maxPointsPerCentroid: maxPointsPerCentroid,
            spherical: spherical)
        let result = try kmeans.train(points, concurrency: budget, progress: TerminalProgressReporter())
        let array = NPYArray(shape: result.centroids.shape, scalars: result.centroids.scalars as [Float])
        try createParent(of: savePath)
        if savePath.hasSuffix(".pt") {
            try TorchCheckpoint.write(array, to: savePath)
        } else {
            try array.write(to: savePath)
        }
        let objective = result.objectives.last.map { "\($0)" } ?? "-"
        FileHandle.standardError.write(
            Data("wrote \(savePath): \(result.centroids.shape[0]) centroids; final objective \(objective)\n".utf8))
    }
}
