import Foundation

/// Trains with OpenCLIP itself, on GPUs, exactly as DataComp's `train.py` launches it, and
/// brings the result back as an OpenCLIP-named safetensors checkpoint.
///
/// The arguments are `train.py`'s fixed list for the scale (``arguments(shards:outputDirectory:worldSize:)``):
/// `--save-frequency`, `--ddp-static-graph`, `--local-loss`, `--gather-with-grad`,
/// `--grad-checkpointing`, `--train-data` (DataComp's brace patterns, ``TrainingShards``),
/// `--train-num-samples` (samples seen / checkpoints), `--warmup`, `--dataset-type webdataset`,
/// `--precision`, `--workers`, `--model`, `--batch-size` (global batch / (world size ·
/// accumulation)), `--epochs` (the checkpoints), `--lr`, `--logs`, `--name`, `--seed`,
/// `--accum-freq`, `--log-every-n-steps`, `--save-most-recent`, `--resume`,
/// `--dataset-resampled`, and `--beta2`, `--train-data-upsampling-factors`, `--grad-clip-norm`
/// when set. `--blur-field` is left out: no OpenCLIP release has it.
///
/// ``Launch/torchrun(command:processesPerNode:)`` runs OpenCLIP's `main` under `torchrun` here
/// and waits (see ``command(shards:outputDirectory:)``); ``Launch/slurm(nodes:gpusPerNode:cpusPerTask:submit:)`` writes an `sbatch` script
/// (one task per GPU, `srun python -m open_clip_train.main …`, as DataComp's
/// `slurm_train.sh`) and, when asked, submits it with `sbatch --wait`. Afterwards
/// `LOGS/NAME/checkpoints/epoch_latest.pt` is read with the restricted torch reader and written
/// beside it as `epoch_latest.safetensors`.
///
/// A model that is not one of OpenCLIP's built-in names (a ``CLIPConfiguration`` of our own,
/// such as `mini-RN`) is handed over as `--model local-dir:LOGS/NAME/model`, a folder with
/// `open_clip_config.json`, which OpenCLIP 2.24 and later read.
///
/// ```swift
/// let trainer = OpenCLIPTrainer(scale: .small, launch: .torchrun(processesPerNode: 8))
/// print(try trainer.arguments(
///     shards: TrainingShards(dataDirectories: ["/data/small"]), outputDirectory: "/runs", worldSize: 8))
/// ```
public struct OpenCLIPTrainer: Trainer {
    /// How OpenCLIP is started.
    public enum Launch: Sendable, Hashable {
        /// `torchrun --nproc_per_node N …` on this machine, waited for. `command` starts
        /// torchrun: `["torchrun"]`, or an interpreter of the right environment as
        /// `["/env/bin/python", "-m", "torch.distributed.run"]`.
        case torchrun(command: [String] = ["torchrun"], processesPerNode: Int = 1)
        /// An `sbatch` script (`LOGS/NAME/train.sbatch`), submitted with `sbatch --wait` when
        /// `submit` is set.
        case slurm(nodes: Int = 1, gpusPerNode: Int = 4, cpusPerTask: Int = 6, submit: Bool = false)
    }

    /// The budget: model, global batch, lr, warmup, samples seen, β₂.
    public var scale: TrainingScale
    /// How OpenCLIP is started.
    public var launch: Launch
    /// A model config replacing the scale's model (handed over with `local-dir:`).
    public var modelConfiguration: CLIPConfiguration?
    /// `--exp_name` (default `<scale>_scale`).
    public var experimentName: String?
    /// `--precision` (DataComp's default `amp`; `amp_bfloat16` is recommended for xlarge).
    public var precision = "amp"
    /// Data-loader workers per process (`--workers`, default 4).
    public var workers = 4
    /// `--num_checkpoints`: epochs, each ending with a checkpoint (default 5).
    public var checkpoints = 5
    /// `--seed`.
    public var seed = 0
    /// `--accum_freq`.
    public var accumulation = 1
    /// `--grad_clip_norm`.
    public var gradientClipNorm: Double?
    /// `--data_weights`: one sampling weight per data folder, as written (DataComp passes the
    /// strings through).
    public var dataWeights: [String]?
    /// `--save_frequency` (0: only the latest and final checkpoints).
    public var saveFrequency = 0
    /// `--resume` (default `latest`: continue from `epoch_latest.pt` if present).
    public var resume = "latest"
    /// The Python interpreter used by the SLURM script.
    public var python = "python3"
    /// The OpenCLIP training module (`open_clip_train.main`; `training.main` before 2.24).
    public var module = "open_clip_train.main"
    /// Arguments appended after DataComp's.
    public var extraArguments: [String] = []
    /// Extra environment for the launched process (for example `PYTHONPATH`).
    public var environment: [String: String] = [:]

    /// Creates a launcher.
    ///
    /// - Parameters:
    ///   - scale: The scale.
    ///   - launch: How OpenCLIP is started.
    public init(scale: TrainingScale, launch: Launch = .torchrun()) {
        self.scale = scale
        self.launch = launch
    }

    /// The experiment name (`--exp_name`, default `<scale>_scale`).
    public var name: String { experimentName ?? "\(scale.name)_scale" }

    /// The number of processes (GPUs) in all.
    public var worldSize: Int {
        switch launch {
        case .torchrun(_, let processes): return max(processes, 1)
        case .slurm(let nodes, let gpus, _, _): return max(nodes, 1) * max(gpus, 1)
        }
    }

    /// The model argument: the scale's OpenCLIP name, or `local-dir:` with a config of our own.
    func modelArgument(outputDirectory: String) -> String {
        modelConfiguration == nil ? scale.model : "local-dir:" + modelDirectory(outputDirectory)
    }

    func modelDirectory(_ outputDirectory: String) -> String { outputDirectory + "/" + name + "/model" }

    /// DataComp `train.py`'s argument list for OpenCLIP.
    ///
    /// - Parameters:
    ///   - shards: The training shards.
    ///   - outputDirectory: `--logs` (DataComp's `--output_dir`).
    ///   - worldSize: The number of processes.
    /// - Returns: The arguments after the module name.
    public func arguments(shards: TrainingShards, outputDirectory: String, worldSize: Int) -> [String] {
        let perProcessBatch = scale.batchSize / (max(worldSize, 1) * max(accumulation, 1))
        var arguments = [
            "--save-frequency", "\(saveFrequency)", "--ddp-static-graph", "--local-loss", "--gather-with-grad",
            "--grad-checkpointing", "--train-data", shards.openCLIPTrainData,
            "--train-num-samples", "\(scale.samplesSeen / max(checkpoints, 1))", "--warmup", "\(scale.warmupSteps)",
            "--dataset-type", "webdataset", "--precision", precision, "--workers", "\(workers)",
            "--model", modelArgument(outputDirectory: outputDirectory), "--batch-size", "\(perProcessBatch)",
            "--epochs", "\(checkpoints)", "--lr", Self.python(scale.learningRate), "--logs", outputDirectory,
            "--name", name, "--seed", "\(seed)", "--accum-freq", "\(accumulation)", "--log-every-n-steps", "100",
            "--save-most-recent", "--resume", resume, "--dataset-resampled",
        ]
        if let beta2 = scale.beta2 { arguments += ["--beta2", Self.python(beta2)] }
        if let dataWeights {
            let perPattern = zip(dataWeights, shards.groupCounts).flatMap { weight, count in
                Array(repeating: weight, count: count)
            }
            arguments += ["--train-data-upsampling-factors", perPattern.joined(separator: "::")]
        }
        if let gradientClipNorm { arguments += ["--grad-clip-norm", Self.python(gradientClipNorm)] }
        return arguments + extraArguments
    }

    /// The `torchrun` command line, or the `srun` line of the SLURM script.
    ///
    /// `torchrun`'s own parser would take OpenCLIP's `--logs` for an abbreviation of its
    /// `--logs-specs`, so under `torchrun` the arguments go through a file:
    /// `LOGS/NAME/openclip_arguments.json`, read by the two-line `LOGS/NAME/launch_openclip.py`
    /// that calls the module's `main(arguments)`, as DataComp's `train.py` does.
    ///
    /// - Parameters:
    ///   - shards: The training shards.
    ///   - outputDirectory: `--logs`.
    /// - Returns: The command and its arguments.
    public func command(shards: TrainingShards, outputDirectory: String) -> [String] {
        let directory = outputDirectory + "/" + name
        switch launch {
        case .torchrun(let torchrun, let processes):
            return torchrun + [
                "--nproc_per_node", "\(max(processes, 1))", directory + "/launch_openclip.py",
                directory + "/openclip_arguments.json",
            ]
        case .slurm:
            return ["srun", python, "-u", "-m", module]
                + arguments(shards: shards, outputDirectory: outputDirectory, worldSize: worldSize)
        }
    }

    /// The launcher `torchrun` runs: it calls the module's `main` with the arguments file.
    var launcherScript: String {
        """
        # Written by DataComp for Swift: runs OpenCLIP's training with DataComp's arguments.
        import json, sys
        from \(module) import main
        sys.exit(main(json.load(open(sys.argv[1]))) or 0)

        """
    }

    /// The `sbatch` script of a SLURM launch (DataComp's `slurm_train.sh` layout: one task per
    /// GPU, the master address from the first node).
    ///
    /// - Parameters:
    ///   - shards: The training shards.
    ///   - outputDirectory: `--logs`.
    /// - Returns: The script.
    public func slurmScript(shards: TrainingShards, outputDirectory: String) -> String {
        var nodes = 1
        var gpus = 1
        var cpus = 6
        if case .slurm(let n, let g, let c, _) = launch { (nodes, gpus, cpus) = (n, g, c) }
        let directory = outputDirectory + "/" + name
        var lines = [
            "#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --nodes=\(nodes)",
            "#SBATCH --ntasks-per-node=\(gpus)", "#SBATCH --gpus-per-node=\(gpus)", "#SBATCH --cpus-per-task=\(cpus)",
            "#SBATCH --output=\(Self.shellQuoted(directory + "/slurm-%j.out"))", "#SBATCH --exclusive",
            "# Written by DataComp for Swift: OpenCLIP with DataComp's \(scale.name) recipe.", "set -euo pipefail",
            "export MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)",
            "export MASTER_PORT=12802",
        ]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            lines.append("export \(key)=\(Self.shellQuoted(value))")
        }
        lines.append(
            command(shards: shards, outputDirectory: outputDirectory).map(Self.shellQuoted).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs (or submits) OpenCLIP's training and converts its `epoch_latest.pt`.
    ///
    /// - Parameters:
    ///   - dataDirectories: Data folders (``TrainingShards``).
    ///   - outputDirectory: `--logs`; the run goes to `outputDirectory/name`.
    ///   - resume: Whether to continue (`--resume latest`); a fresh run uses `latest` as well,
    ///     as DataComp does, which starts from scratch when no checkpoint exists.
    ///   - progress: Unused: OpenCLIP prints its own progress.
    /// - Returns: The steps of the scale, the losses OpenCLIP logged (every 100 steps and at the
    ///   end of each epoch, from its `out.log`) and the converted checkpoint.
    /// - Throws: `DataCompError` when the data cannot be found, OpenCLIP cannot start or fails,
    ///   or its checkpoint cannot be read.
    public func train(
        dataDirectories: [String], outputDirectory: String, resume: Bool, progress: any ProgressReporter
    ) async throws -> TrainingSummary {
        let shards = try TrainingShards(dataDirectories: dataDirectories)
        let directory = outputDirectory + "/" + name
        try Self.createDirectory(directory)
        if let modelConfiguration {
            try Self.createDirectory(modelDirectory(outputDirectory))
            let config = JSONValue.object([("model_cfg", modelConfiguration.json), ("preprocess_cfg", .object([]))])
            try AtomicFile.write(
                Array((config.serialized(indent: 2) + "\n").utf8),
                to: modelDirectory(outputDirectory) + "/open_clip_config.json")
        }
        switch launch {
        case .torchrun:
            let arguments = JSONValue.array(
                arguments(shards: shards, outputDirectory: outputDirectory, worldSize: worldSize).map(JSONValue.string))
            try AtomicFile.write(
                Array((arguments.serialized() + "\n").utf8), to: directory + "/openclip_arguments.json")
            try AtomicFile.write(Array(launcherScript.utf8), to: directory + "/launch_openclip.py")
            try Self.run(command(shards: shards, outputDirectory: outputDirectory), environment: environment)
        case .slurm(_, _, _, let submit):
            let script = directory + "/train.sbatch"
            try AtomicFile.write(Array(slurmScript(shards: shards, outputDirectory: outputDirectory).utf8), to: script)
            guard submit else {
                return TrainingSummary(
                    firstStep: 0, steps: 0, losses: [], skippedSamples: 0, checkpointPath: script)
            }
            try Self.run(["sbatch", "--wait", script], environment: [:])
        }
        let checkpoint = try convertCheckpoint(in: directory)
        let plan = scale.steps(
            checkpoints: checkpoints, workers: workers, worldSize: worldSize, accumulation: accumulation)
        return TrainingSummary(
            firstStep: 0, steps: plan.total, losses: Self.loggedLosses(directory + "/out.log"), skippedSamples: 0,
            checkpointPath: checkpoint)
    }

    /// Reads `directory/checkpoints/epoch_latest.pt` and writes `epoch_latest.safetensors`
    /// beside it.
    ///
    /// - Parameter directory: The run folder (`LOGS/NAME`).
    /// - Returns: The safetensors path.
    /// - Throws: `DataCompError` when the checkpoint is missing or does not fit the model.
    public func convertCheckpoint(in directory: String) throws -> String {
        let source = directory + "/checkpoints/epoch_latest.pt"
        guard FileManager.default.fileExists(atPath: source) else {
            throw DataCompError(
                .fileNotFound, "OpenCLIP finished without its latest checkpoint; see \(directory)/out.log",
                path: source)
        }
        let configuration = try modelConfiguration ?? CLIPConfiguration.named(scale.model)
        let parameters = try CLIPParameters(contentsOfFile: source, configuration: configuration)
        let destination = directory + "/checkpoints/epoch_latest.safetensors"
        try parameters.write(to: destination)
        return destination
    }

    /// The losses OpenCLIP logged (`Train Epoch: … Loss: 1.8426 (2.2047)`: the value before the
    /// running mean), every `--log-every-n-steps` steps and at the end of each epoch.
    static func loggedLosses(_ path: String) -> [Float] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { $0.contains("Train Epoch:") }.compactMap { line in
            guard let range = line.range(of: " Loss: ", options: .backwards) else { return nil }
            return Float(line[range.upperBound...].prefix { !$0.isWhitespace })
        }
    }

    /// Python's `repr` of a float as DataComp formats its arguments (`f"{x}"`).
    static func python(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e16 { return String(format: "%.1f", value) }
        var text = "\(value)"
        if let range = text.range(of: "e-"), text[range.upperBound...].count == 1 {
            text.insert("0", at: range.upperBound)
        }
        return text
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+{}".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(.io, "cannot create the folder: \(error.localizedDescription)", path: path)
        }
    }

    /// Runs a command with inherited output (OpenCLIP's own progress) and waits for it.
    private static func run(_ command: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DataCompError(
                .externalToolFailed, "could not start `\(command.first ?? "")`: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DataCompError(
                .externalToolFailed,
                "`\(command.prefix(6).joined(separator: " ")) …` exited with status \(process.terminationStatus); its output is above and in the run folder's out.log"
            )
        }
    }
}
