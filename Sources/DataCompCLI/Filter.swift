import ArgumentParser
import DataComp
import Foundation

/// `datacomp filter --name NAME --metadata-dir DIR --save-path OUT.npy [...]`: DataComp's
/// `baselines.py`.
struct Filter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a DataComp baseline filter over a pool and write the subset (.npy) with a report.",
        discussion: """
            Mirrors DataComp's baselines.py: the same names, flags (their underscore spellings \
            are accepted too) and argument checks, and the same subset file (sorted u8,u8 uids, \
            byte-identical to np.save). A fraction keeps the top of the whole pool as \
            get_threshold does: with n = int(pool size × fraction) the threshold is the \
            (n+1)-th largest score and every sample scoring at least that much is kept. Beside \
            OUT.npy the run writes OUT.report.json: the strategy, its parameters, what each rule \
            saw and kept, the thresholds, the pool's files and the time.

            The image-based baselines take --centroids and --reference-embeddings (torch.save \
            files as DataComp publishes them, .npy or .npz; repeat --reference-embeddings for \
            several files), or --image-based-scale to read DataComp's own assets from \
            ~/.cache/datacomp. Assignment to clusters is by largest inner product, as DataComp's. \
            laion2b identifies English with fastText where DataComp used gcld3.

            Distributed runs: with --shard-index i --num-shards N the command reads only the \
            metadata files whose position is i modulo N and writes a folder of partial results \
            at --save-path; `datacomp merge-subsets --save-path OUT.npy PART...` then writes the \
            subset and report of a single run (see Examples/slurm for a SLURM job array).
            """
    )

    @Option(help: "The baseline: \(DataCompBaseline.Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @Option(
        name: [.customLong("metadata-dir"), .customLong("metadata_dir")],
        help: "The metadata folder (non-recursive; *.parquet files paired with *.npz).")
    var metadataDirectory: String

    @Option(
        name: [.customLong("save-path"), .customLong("save_path")],
        help: "The subset file to write (.npy); with --shard-index, the folder of the share's partial result.")
    var savePath: String

    @Option(help: "Keep samples whose CLIP score is at least this (clip_score baselines).")
    var threshold: Float?

    @Option(help: "Keep this top fraction of the pool by CLIP score, in (0, 1] (clip_score baselines).")
    var fraction: Double?

    @Option(help: "Which CLIP score: b32 or l14 (clip_score baselines).")
    var arch: String?

    @Option(
        name: [.customLong("image-based-scale"), .customLong("image_based_scale")],
        help:
            "Use DataComp's centroids and ImageNet features of this scale from ~/.cache/datacomp (small, medium, large, xlarge)."
    )
    var imageBasedScale: String?

    @Option(help: "The centroid file of the image-based baselines (.pt, .npy or .npz).")
    var centroids: String?

    @Option(
        name: [.customLong("reference-embeddings"), .customLong("reference_embeddings")],
        help: "A file of embeddings marking the target clusters (repeat for several files).")
    var referenceEmbeddings: [String] = []

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")],
        help: "How many metadata files are read at once (default: the number of cores).")
    var numWorkers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        name: [.customLong("num-gpus"), .customLong("num_gpus")],
        help: "Accepted for compatibility with baselines.py and ignored: assignment runs on the CPU.")
    var numGPUs: Int?

    @Option(
        name: [.customLong("batch-size"), .customLong("batch_size")],
        help: "Accepted for compatibility with baselines.py and ignored: batches follow the Parquet row groups.")
    var batchSize: Int?

    @Option(
        name: [.customLong("shard-index"), .customLong("shard_index")],
        help: "Run share i of --num-shards: read the metadata files whose position is i modulo N.")
    var shardIndex: Int?

    @Option(
        name: [.customLong("num-shards"), .customLong("num_shards")],
        help: "The number of shares of a distributed run (with --shard-index).")
    var numShards: Int?

    func validate() throws {
        guard numWorkers > 0 else { throw ValidationError("--num-workers must be positive") }
        switch (shardIndex, numShards) {
        case (nil, nil): break
        case (let index?, let count?):
            guard count >= 1, index >= 0, index < count else {
                throw ValidationError("--shard-index must be in 0..<--num-shards (got \(index) of \(count))")
            }
        default: throw ValidationError("--shard-index and --num-shards go together: pass both or neither")
        }
    }

    func run() async throws {
        guard let baselineName = DataCompBaseline.Name(rawValue: name) else {
            let names = DataCompBaseline.Name.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--name must be one of: \(names) (got '\(name)')")
        }
        var architecture: DataCompBaseline.Architecture?
        if let arch {
            guard let value = DataCompBaseline.Architecture(rawValue: arch) else {
                throw ValidationError("--arch must be b32 or l14 (got '\(arch)')")
            }
            architecture = value
        }
        var scale: ImageBasedAssets.Scale?
        if let imageBasedScale {
            guard let value = ImageBasedAssets.Scale(rawValue: imageBasedScale) else {
                throw ValidationError(
                    "--image-based-scale must be small, medium, large or xlarge (got '\(imageBasedScale)')")
            }
            scale = value
        }
        let baseline = DataCompBaseline(
            name: baselineName, arch: architecture, threshold: threshold, fraction: fraction, imageBasedScale: scale,
            centroidsPath: centroids, referenceEmbeddingPaths: referenceEmbeddings)
        try baseline.validate()
        let pool = try CandidatePool(metadataDirectory: metadataDirectory)
        let strategy = try baseline.strategy(resolver: .commandLine())
        let budget = ConcurrencyBudget(width: numWorkers)
        if let shardIndex, let numShards {
            if savePath.hasSuffix(".npy") {
                throw ValidationError(
                    "with --shard-index, --save-path names the folder of the share's partial result, not a .npy; merge the folders with datacomp merge-subsets"
                )
            }
            let share = FilterShare(index: shardIndex, of: numShards)
            let part = try await strategy.run(
                share: share, on: pool, concurrency: budget, progress: TerminalProgressReporter())
            try createParent(of: savePath)
            try part.write(to: savePath)
            FileHandle.standardError.write(
                Data(
                    "\(share): read \(part.files.count) metadata files, \(part.samplesSeen) samples; wrote \(savePath)\n"
                        .utf8))
            return
        }
        let result = try await strategy.run(on: pool, concurrency: budget, progress: TerminalProgressReporter())
        try write(result, to: savePath)
    }
}
