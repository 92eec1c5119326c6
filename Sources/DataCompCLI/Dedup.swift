import ArgumentParser
import DataComp
import Foundation

/// `datacomp dedup --metadata-dir DIR --save-path OUT.npy --method M`: de-duplication subsets.
struct Dedup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the subset of a pool that survives de-duplication (.npy) with a report.",
        discussion: """
            --method exact keeps one sample per sha256 (the smallest uid). --method semantic is \
            SemDeDup: within the clusters of --centroids (by cosine), one sample of every group \
            of embeddings whose cosine similarity reaches --threshold (default 0.95) is kept, the \
            farthest from its centroid (--keep hard) or the closest (--keep easy). --method \
            evaluation drops the samples within cosine --threshold (default 0.9) of any of \
            --evaluation-embeddings. Embeddings are --embedding-key of the pool's .npz files \
            (l14_img by default). The subset can be intersected with a baseline's by filtering \
            in Swift (see the Writing a FilterStrategy article).
            """
    )

    @Option(
        name: [.customLong("metadata-dir"), .customLong("metadata_dir")],
        help: "The metadata folder (*.parquet with *.npz).")
    var metadataDirectory: String

    @Option(name: [.customLong("save-path"), .customLong("save_path")], help: "The subset file to write (.npy).")
    var savePath: String

    @Option(help: "exact, semantic or evaluation.")
    var method: String

    @Option(help: "The centroid file for --method semantic (.pt, .npy or .npz).")
    var centroids: String?

    @Option(
        name: [.customLong("evaluation-embeddings"), .customLong("evaluation_embeddings")],
        help: "A file of evaluation embeddings for --method evaluation (repeat for several files).")
    var evaluationEmbeddings: [String] = []

    @Option(help: "The cosine similarity at which samples are duplicates.")
    var threshold: Float?

    @Option(help: "Which near-duplicate --method semantic keeps: hard (farthest from its centroid) or easy.")
    var keep = "hard"

    @Option(
        name: [.customLong("embedding-key"), .customLong("embedding_key")], help: "The npz array compared.")
    var embeddingKey = "l14_img"

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")],
        help: "How many metadata files are read at once (default: the number of cores).")
    var numWorkers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard numWorkers > 0 else { throw ValidationError("--num-workers must be positive") }
        if let threshold, !(threshold > -1 && threshold <= 1) {
            throw ValidationError("--threshold is a cosine similarity in (-1, 1]")
        }
        switch method {
        case "exact": break
        case "semantic":
            guard centroids != nil else { throw ValidationError("--method semantic needs --centroids") }
            guard SemanticDuplicateFilter.Keep(rawValue: keep) != nil else {
                throw ValidationError("--keep must be hard or easy (got '\(keep)')")
            }
        case "evaluation":
            guard !evaluationEmbeddings.isEmpty else {
                throw ValidationError("--method evaluation needs --evaluation-embeddings")
            }
        default: throw ValidationError("--method must be exact, semantic or evaluation (got '\(method)')")
        }
    }

    func run() async throws {
        let pool = try CandidatePool(metadataDirectory: metadataDirectory)
        let budget = ConcurrencyBudget(width: numWorkers)
        let column = PoolColumn.features(embeddingKey)
        let strategy: any FilterStrategy
        switch method {
        case "exact":
            strategy = try await ExactDuplicateFilter.prepare(
                on: pool, concurrency: budget, progress: TerminalProgressReporter())
        case "semantic":
            strategy = try await SemanticDuplicateFilter.prepare(
                on: pool, column: column, centroids: try EmbeddingFile.read([centroids ?? ""]),
                threshold: threshold ?? 0.95,
                keep: SemanticDuplicateFilter.Keep(rawValue: keep) ?? .farthestFromCentroid,
                concurrency: budget, progress: TerminalProgressReporter())
        default:
            strategy = EvaluationDuplicateFilter(
                column: column, evaluationEmbeddings: try EmbeddingFile.read(evaluationEmbeddings),
                threshold: threshold ?? 0.9, assetPaths: evaluationEmbeddings)
        }
        let result = try await strategy.run(on: pool, concurrency: budget, progress: TerminalProgressReporter())
        try write(result, to: savePath)
    }
}
