import ArgumentParser
import DataComp
import Foundation

/// `datacomp train`.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a CLIP model with OpenCLIP's recipe: natively on the CPU, or by launching OpenCLIP on GPUs.",
        discussion: """
            Reads image-text samples (jpg/png/webp + txt) from the .tar shards of --data-dir (several \
            folders joined with ::, as DataComp's train.py), and trains with OpenCLIP's ClipLoss, AdamW \
            (its parameter groups) and cosine schedule. Writes OUTPUT/train_log.jsonl (step, loss, lr, \
            logit_scale, samples_per_second), OUTPUT/loss.svg and OUTPUT/checkpoints/ \
            (epoch_latest.safetensors with OpenCLIP's names, and state.safetensors); --resume continues \
            a killed run on the same trajectory. --scale sets DataComp's fixed budget (or a CPU scale). \
            With --backend openclip, OpenCLIP itself trains with the arguments DataComp's train.py \
            passes for the scale (torchrun on this machine, or an sbatch script with --slurm-nodes) \
            and its epoch_latest.pt is converted to OUTPUT/NAME/checkpoints/epoch_latest.safetensors.
            """
    )

    @Option(
        help: """
            A fixed budget: DataComp's debug, small, medium, large, xlarge (model, batch, lr, warmup, \
            samples seen, β₂ as scale_configs.py, steps with OpenCLIP's rounding) or the CPU scales \
            mini and mini-teacher. Explicit flags override its values.
            """)
    var scale: String?

    @Option(
        name: [.customLong("model-config"), .customLong("model_config"), .customLong("model")],
        help:
            "An OpenCLIP model-config JSON file or a built-in name (mini-RN, mini-ViT, ViT-B-32, …); default: the scale's."
    )
    var modelConfig: String?

    @Option(name: [.customLong("data-dir"), .customLong("data_dir")], help: "Folders of shards, joined with ::.")
    var dataDirectory: String

    @Option(name: [.customLong("output-dir"), .customLong("output_dir")], help: "Where logs and checkpoints go.")
    var outputDirectory: String

    @Option(help: "Starting weights (.safetensors with OpenCLIP's names); default: OpenCLIP's initialisation.")
    var `init`: String?

    @Option(help: "The seed of initialisation, data order and augmentation.")
    var seed: UInt64 = 0

    @Flag(help: "Continue from OUTPUT/checkpoints/state.safetensors.")
    var resume = false

    @Option(
        name: [.customLong("batch-size"), .customLong("batch_size")],
        help: "Samples per step (default: the scale's, or 64).")
    var batchSize: Int?

    @Option(help: "Optimizer steps in all (default: the scale's).")
    var steps: Int?

    @Option(help: "The peak learning rate (default: the scale's, or 5e-4).")
    var lr: Double?

    @Option(help: "Linear warmup steps (default: the scale's, or 0).")
    var warmup: Int?

    @Option(
        name: [.customLong("weight-decay"), .customLong("weight_decay"), .customLong("wd")],
        help: "AdamW's weight decay (default: the scale's, or 0.2).")
    var weightDecay: Double?

    @Option(help: "AdamW's β₁.")
    var beta1: Double?

    @Option(help: "AdamW's β₂ (OpenCLIP: 0.98 for ViTs, 0.999 otherwise).")
    var beta2: Double?

    @Option(help: "AdamW's ε (OpenCLIP: 1e-6 for ViTs, 1e-8 otherwise).")
    var eps: Double?

    @Option(
        name: [.customLong("grad-clip-norm"), .customLong("grad_clip_norm")], help: "Clip the global gradient norm.")
    var gradClipNorm: Double?

    @Flag(help: "Samples in shard order, no shuffling.")
    var sequential = false

    @Flag(
        name: [.customLong("dataset-resampled"), .customLong("dataset_resampled")],
        help: "Draw shards with replacement, as OpenCLIP's --dataset-resampled (DataComp always trains so).")
    var datasetResampled = false

    @Flag(
        name: [.customLong("no-augment"), .customLong("no_augment")],
        help: "The evaluation transform instead of random crops.")
    var noAugment = false

    @Option(
        name: [.customLong("checkpoint-interval"), .customLong("checkpoint_interval")],
        help: "Steps between checkpoints.")
    var checkpointInterval = 100

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")], help: "Threads (default: the number of cores).")
    var numWorkers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "The CLIP BPE vocabulary (default: the asset cache).")
    var vocabulary: String?

    @Option(
        help: """
            native (this machine's CPU) or openclip: launch OpenCLIP's training with DataComp's \
            arguments for --scale (torchrun here, or a SLURM script with --slurm-nodes), then convert \
            its epoch_latest.pt.
            """)
    var backend = "native"

    @Option(
        name: [.customLong("exp-name"), .customLong("exp_name")],
        help: "openclip: the run's name (default SCALE_scale).")
    var expName: String?

    @Option(help: "openclip: OpenCLIP's --precision (DataComp's default amp; amp_bfloat16 for xlarge).")
    var precision = "amp"

    @Option(help: "openclip: data-loader workers per GPU.")
    var workers = 4

    @Option(
        name: [.customLong("num-checkpoints"), .customLong("num_checkpoints")],
        help: "openclip: epochs, each ending with a checkpoint.")
    var numCheckpoints = 5

    @Option(
        name: [.customLong("accum-freq"), .customLong("accum_freq")],
        help: "Micro-batches of --batch-size per optimizer step, contrasted together (OpenCLIP's --accum-freq).")
    var accumFreq = 1

    @Option(
        name: [.customLong("data-weights"), .customLong("data_weights")],
        help: "openclip: sampling weights of the :: joined data folders, joined with ::.")
    var dataWeights: String?

    @Option(help: "openclip: GPUs (torchrun processes) per node.")
    var gpus = 1

    @Option(
        name: [.customLong("slurm-nodes"), .customLong("slurm_nodes")],
        help: "openclip: write OUTPUT/NAME/train.sbatch for this many nodes instead of running torchrun.")
    var slurmNodes: Int?

    @Flag(help: "openclip with --slurm-nodes: submit the script with sbatch --wait and convert the result.")
    var submit = false

    @Option(
        help:
            "openclip: how torchrun is started (default torchrun; for example \"/env/bin/python -m torch.distributed.run\")."
    )
    var torchrun = "torchrun"

    func validate() throws {
        guard ["native", "openclip"].contains(backend) else {
            throw ValidationError("--backend is native or openclip")
        }
        if backend == "openclip" {
            guard scale != nil else { throw ValidationError("--backend openclip needs --scale") }
            guard gpus > 0, workers > 0, numCheckpoints > 0, accumFreq > 0, (slurmNodes ?? 1) > 0 else {
                throw ValidationError(
                    "--gpus, --workers, --num-checkpoints, --accum-freq and --slurm-nodes must be positive")
            }
        }
        guard scale != nil || modelConfig != nil else {
            throw ValidationError(
                "give --scale NAME or --model-config FILE (or both: the config replaces the scale's model)")
        }
        guard scale != nil || steps != nil else {
            throw ValidationError("--steps is needed without --scale")
        }
        if let scale, (try? TrainingScale.named(scale)) == nil {
            throw ValidationError(
                "unknown --scale \(scale); use one of \(TrainingScale.all.map(\.name).joined(separator: ", "))")
        }
        guard (batchSize ?? 2) >= 2 else {
            throw ValidationError("--batch-size must be at least 2 (the loss contrasts pairs)")
        }
        guard (steps ?? 1) > 0 else { throw ValidationError("--steps must be positive") }
        guard (warmup ?? 0) >= 0, (lr ?? 1) > 0, (weightDecay ?? 0) >= 0 else {
            throw ValidationError("--warmup, --lr and --weight-decay must be non-negative")
        }
        guard accumFreq > 0 else { throw ValidationError("--accum-freq must be positive") }
        guard numWorkers > 0, checkpointInterval > 0 else {
            throw ValidationError("--num-workers and --checkpoint-interval must be positive")
        }
    }

    func run() async throws {
        if backend == "openclip" { return try await runOpenCLIP() }
        let budget = try scale.map(TrainingScale.named)
        let modelName = modelConfig ?? budget?.model ?? ""
        let configuration =
            FileManager.default.fileExists(atPath: modelName)
            ? try CLIPConfiguration(contentsOfFile: modelName) : try CLIPConfiguration.named(modelName)
        let parameters =
            try `init`.map { try CLIPParameters(contentsOfFile: $0, configuration: configuration) }
            ?? CLIPParameters(initializingFor: configuration, seed: seed)
        let resolver = AssetResolver.commandLine()
        let tokenizer = try CLIPTokenizer(
            vocabularyAt: try resolver.path(for: .clipVocabulary, explicitPath: vocabulary))
        var training =
            budget?.trainingConfiguration(for: configuration, seed: seed)
            ?? TrainingConfiguration(for: configuration, batchSize: 64, steps: 1, warmupSteps: 0, seed: seed)
        if let batchSize { training.batchSize = batchSize }
        if let steps { training.steps = steps }
        if let warmup { training.warmupSteps = warmup }
        if let lr { training.learningRate = lr }
        if let weightDecay { training.weightDecay = weightDecay }
        if let beta1 { training.beta1 = beta1 }
        if let beta2 { training.beta2 = beta2 }
        if let eps { training.epsilon = eps }
        training.gradientClipNorm = gradClipNorm
        training.sequential = sequential
        training.resampled = datasetResampled
        if noAugment { training.augments = false }
        training.checkpointInterval = checkpointInterval
        training.accumulation = accumFreq
        let trainer = CPUTrainer(
            configuration: configuration, initialParameters: parameters, tokenizer: tokenizer, training: training,
            concurrency: ConcurrencyBudget(width: numWorkers))
        let summary = try await trainer.train(
            dataDirectories: [dataDirectory], outputDirectory: outputDirectory, resume: resume,
            progress: TerminalProgressReporter())
        let last = summary.losses.last.map { String(format: "%.4f", $0) } ?? "-"
        print(
            "trained steps \(summary.firstStep)..<\(summary.steps): final loss \(last); \(summary.skippedSamples) samples skipped; checkpoint \(summary.checkpointPath)"
        )
    }

    /// `--backend openclip`: DataComp's train.py arguments for OpenCLIP.
    private func runOpenCLIP() async throws {
        var trainer = OpenCLIPTrainer(
            scale: try TrainingScale.named(scale ?? ""),
            launch: slurmNodes.map { .slurm(nodes: $0, gpusPerNode: gpus, cpusPerTask: workers + 2, submit: submit) }
                ?? .torchrun(command: torchrun.split(separator: " ").map(String.init), processesPerNode: gpus))
        if let modelConfig {
            trainer.modelConfiguration =
                FileManager.default.fileExists(atPath: modelConfig)
                ? try CLIPConfiguration(contentsOfFile: modelConfig) : try CLIPConfiguration.named(modelConfig)
        }
        trainer.experimentName = expName
        trainer.precision = precision
        trainer.workers = workers
        trainer.checkpoints = numCheckpoints
        trainer.seed = Int(seed)
        trainer.accumulation = accumFreq
        trainer.gradientClipNorm = gradClipNorm
        trainer.dataWeights = dataWeights?.components(separatedBy: "::")
        let summary = try await trainer.train(
            dataDirectories: [dataDirectory], outputDirectory: outputDirectory, resume: resume,
            progress: TerminalProgressReporter())
        if summary.checkpointPath.hasSuffix(".sbatch") {
            print("wrote \(summary.checkpointPath); submit it with sbatch (or rerun with --submit)")
        } else {
            print("OpenCLIP trained \(summary.steps) steps; checkpoint \(summary.checkpointPath)")
        }
    }
}
