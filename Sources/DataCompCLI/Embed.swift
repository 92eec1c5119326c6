import ArgumentParser
import DataComp
import Foundation

/// `datacomp embed`.
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute L2-normalised CLIP features and scores with a checkpoint (what dataset2metadata does).",
        discussion: """
            --output OUT.npz writes image_features (the images of --images in sorted file-name \
            order, or the samples of --shards in shard order) and text_features (one per line of \
            --texts; without --texts, the captions of --shards), float32. --pool-output DIR writes \
            each shard of --shards as a DataComp pool shard: <stem>.parquet (uid, url, text, \
            original_width, original_height, clip_KEY_similarity_score, sha256) and <stem>.npz \
            (KEY_img, KEY_txt, float16), KEY from --feature-key. --sidecar-for POOL_METADATA with \
            --sidecar-output DIR scores the downloaded samples of an existing pool into one \
            <stem>.parquet per metadata shard (uid, --score-name), for ScoreFilter and datacomp filter.
            """
    )

    @Option(
        name: [.customLong("model-config"), .customLong("model_config"), .customLong("model")],
        help: "An OpenCLIP model-config JSON file or a built-in name.")
    var modelConfig: String

    @Option(help: "The weights: .safetensors with OpenCLIP's names, or an OpenCLIP .pt checkpoint.")
    var checkpoint: String

    @Option(help: "A folder of webdataset .tar shards (image + txt).")
    var shards: String?

    @Option(help: "A folder of image files (jpg, jpeg, png, webp), embedded in sorted name order.")
    var images: String?

    @Option(help: "A text file: one caption per line to embed as text_features.")
    var texts: String?

    @Option(help: "The .npz file to write.")
    var output: String?

    @Option(
        name: [.customLong("pool-output"), .customLong("pool_output")],
        help: "Write the --shards as DataComp pool shards (parquet + npz) into this folder.")
    var poolOutput: String?

    @Option(
        name: [.customLong("feature-key"), .customLong("feature_key")],
        help: "The model's key in DataComp's column names (clip_KEY_similarity_score, KEY_img, KEY_txt).")
    var featureKey = "b32"

    @Option(
        name: [.customLong("sidecar-for"), .customLong("sidecar_for")],
        help: "The metadata folder of an existing pool whose downloaded --shards to score.")
    var sidecarFor: String?

    @Option(
        name: [.customLong("sidecar-output"), .customLong("sidecar_output")], help: "Where the sidecar files go.")
    var sidecarOutput: String?

    @Option(name: [.customLong("score-name"), .customLong("score_name")], help: "The sidecar's score column.")
    var scoreName = "clip_score"

    @Option(name: [.customLong("batch-size"), .customLong("batch_size")], help: "Images per batch.")
    var batchSize = 64

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")], help: "Threads (default: the number of cores).")
    var numWorkers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "The CLIP BPE vocabulary (default: the asset cache).")
    var vocabulary: String?

    func validate() throws {
        guard (shards == nil) != (images == nil) else {
            throw ValidationError("give exactly one of --shards and --images")
        }
        guard output != nil || poolOutput != nil || sidecarFor != nil else {
            throw ValidationError("give --output OUT.npz, --pool-output DIR or --sidecar-for POOL --sidecar-output DIR")
        }
        guard (sidecarFor == nil) == (sidecarOutput == nil) else {
            throw ValidationError("--sidecar-for and --sidecar-output go together")
        }
        guard shards != nil || (poolOutput == nil && sidecarFor == nil) else {
            throw ValidationError("--pool-output and --sidecar-for need --shards")
        }
        guard batchSize > 0, numWorkers > 0 else {
            throw ValidationError("--batch-size and --num-workers must be positive")
        }
    }

    func run() async throws {
        let configuration =
            FileManager.default.fileExists(atPath: modelConfig)
            ? try CLIPConfiguration(contentsOfFile: modelConfig) : try CLIPConfiguration.named(modelConfig)
        let parameters = try CLIPParameters(contentsOfFile: checkpoint, configuration: configuration)
        let tokenizer = try CLIPTokenizer(
            vocabularyAt: try AssetResolver.commandLine().path(for: .clipVocabulary, explicitPath: vocabulary))
        let model = try CLIPModel(configuration: configuration, parameters: parameters, tokenizer: tokenizer)
        let concurrency = ConcurrencyBudget(width: numWorkers)
        let embedder = PoolEmbedder(encoder: model, batchSize: batchSize, concurrency: concurrency)
        let shardPaths = try shards.map { try TrainingShards(dataDirectories: [$0]).paths } ?? []
        let reporter = TerminalProgressReporter()

        if let output {
            var imageFeatures: Tensor
            var captions: [String] = []
            var captionRows: [Float] = []
            if let images {
                let files = try Self.imageFiles(in: images)
                let tracker = ProgressTracker(label: "images", total: files.count, unit: "images", reporter: reporter)
                // Mapped, not read, and a few thousand files at a time: memory and the number of
                // mappings stay bounded however large the folder is.
                var rows: [Float] = []
                for start in stride(from: 0, to: files.count, by: 4096) {
                    let chunk = Array(files[start..<min(start + 4096, files.count)])
                    let bytes = try chunk.map { path in
                        let file = try MappedFile(path: path)
                        return MemberBytes(mapping: file, range: 0..<file.bytes.count)
                    }
                    rows += try await model.embedImages(
                        bytes, names: chunk, batchSize: batchSize, concurrency: concurrency, progress: tracker
                    ).rowNormalized().scalars
                }
                imageFeatures = Tensor(shape: [files.count, model.embeddingDimension], scalars: rows)
                tracker.finish()
            } else {
                var rows: [Float] = []
                for shard in shardPaths {
                    let features = try await embedder.embed(shard: shard)
                    rows += features.imageFeatures.scalars
                    captions += features.captions
                    captionRows += features.textFeatures.scalars
                }
                imageFeatures = Tensor(
                    shape: [rows.count / configuration.embedDimension, configuration.embedDimension], scalars: rows)
            }
            if let texts {
                guard let data = FileManager.default.contents(atPath: texts) else {
                    throw DataCompError(.fileNotFound, "cannot read the texts file", path: texts)
                }
                captions = String(decoding: data, as: UTF8.self).split(
                    separator: "\n", omittingEmptySubsequences: false
                )
                .map(String.init)
                if captions.last == "" { captions.removeLast() }
            }
            let textFeatures =
                texts == nil && images == nil
                ? Tensor(shape: [captions.count, configuration.embedDimension], scalars: captionRows)
                : try model.embedTexts(captions, batchSize: 256).rowNormalized()
            try NPZArchive.write(
                [("image_features", NPYArray(imageFeatures)), ("text_features", NPYArray(textFeatures))], to: output)
            print("wrote \(output): image_features \(imageFeatures.shape), text_features \(textFeatures.shape)")
        }
        if let poolOutput {
            let counts = try await embedder.writePool(
                shards: shardPaths, to: poolOutput, featureKey: featureKey, progress: reporter)
            print(
                "wrote \(shardPaths.count) pool shards to \(poolOutput): \(counts.written) samples (\(counts.skipped) without image or caption)"
            )
        }
        if let sidecarFor, let sidecarOutput {
            let counts = try await embedder.writeSidecar(
                shards: shardPaths, pool: try CandidatePool(metadataDirectory: sidecarFor), to: sidecarOutput,
                scoreName: scoreName, progress: reporter)
            print(
                "wrote sidecars to \(sidecarOutput): \(counts.scored) pool rows scored, \(counts.missing) not downloaded (null)"
            )
        }
    }

    /// The image files of a folder, sorted by name.
    static func imageFiles(in directory: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw DataCompError(.fileNotFound, "no image folder here", path: directory)
        }
        let files = names.filter {
            ["jpg", "jpeg", "png", "webp"].contains(URL(fileURLWithPath: $0).pathExtension.lowercased())
        }
        .sorted().map { directory + "/" + $0 }
        guard !files.isEmpty else {
            throw DataCompError(.fileNotFound, "the folder has no jpg, jpeg, png or webp files", path: directory)
        }
        return files
    }
}
