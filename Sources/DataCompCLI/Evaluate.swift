import ArgumentParser
import DataComp
import Foundation

/// `datacomp evaluate`.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a CLIP checkpoint zero-shot on DataComp's tasks, as DataComp's evaluate.py.",
        discussion: """
            Reads the eval sets that download_evalsets.py put in --data-dir (one wds_<key>_test \
            folder per task), evaluates the tasks in tasklist.yml's order and appends each result \
            to OUTPUT/eval_results.jsonl in DataComp's format as soon as it is computed (the file is \
            rewritten atomically: a killed run leaves it valid). Tasks already in the file are \
            skipped unless --overwrite. Without --tasks, every task whose eval set is present is \
            evaluated, as evaluate.py does (FairFace and UTKFace included: computed, never scored), \
            and the absent scored ones are listed. The 95% bootstrap interval of each main \
            metric goes to OUTPUT/eval_intervals.jsonl. Prints a results table and the averages of \
            aggregate_scores.py (labelled PARTIAL with fewer than 38 tasks).
            """
    )

    @Option(help: "The model weights: .safetensors with OpenCLIP's parameter names, or an OpenCLIP .pt checkpoint.")
    var checkpoint: String

    @Option(
        name: [.customLong("model-config"), .customLong("model_config"), .customLong("model")],
        help: "An OpenCLIP model-config JSON file or a built-in name (ViT-B-32, ViT-B-16, ViT-L-14, mini-ViT, …).")
    var modelConfig: String

    @Option(name: [.customLong("data-dir"), .customLong("data_dir")], help: "The folder of eval sets.")
    var dataDirectory: String

    @Option(name: [.customLong("output-dir"), .customLong("output_dir")], help: "Where eval_results.jsonl goes.")
    var outputDirectory: String

    @Option(help: "Comma-separated task keys (default: every task present in --data-dir).")
    var tasks: String?

    @Option(name: [.customLong("batch-size"), .customLong("batch_size")], help: "Images per batch.")
    var batchSize = 64

    @Flag(help: "Evaluate every task again instead of resuming.")
    var overwrite = false

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")],
        help: "How many images are decoded at once and how many threads encode.")
    var numWorkers = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        name: [.customLong("bootstrap-resamples"), .customLong("bootstrap_resamples")],
        help: "Resamples of each main metric's 95% interval (0: none).")
    var bootstrapResamples = 1000

    @Option(help: "The bootstrap's seed.")
    var seed: UInt64 = 0

    @Option(help: "The CLIP BPE vocabulary (default: the asset cache).")
    var vocabulary: String?

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard numWorkers > 0 else { throw ValidationError("--num-workers must be positive") }
        guard bootstrapResamples >= 0 else { throw ValidationError("--bootstrap-resamples must be 0 or more") }
    }

    func run() async throws {
        let suite = EvaluationSuite(dataDirectory: dataDirectory)
        let selected = try selectedTasks(suite)
        let configuration =
            FileManager.default.fileExists(atPath: modelConfig)
            ? try CLIPConfiguration(contentsOfFile: modelConfig) : try CLIPConfiguration.named(modelConfig)
        let parameters = try CLIPParameters(contentsOfFile: checkpoint, configuration: configuration)
        try checkSameModel(configuration)
        let resolver = AssetResolver.commandLine()
        let tokenizer = try CLIPTokenizer(
            vocabularyAt: try resolver.path(for: .clipVocabulary, explicitPath: vocabulary))
        let model = try CLIPModel(configuration: configuration, parameters: parameters, tokenizer: tokenizer)
        let options = EvaluationOptions(
            batchSize: batchSize, concurrency: ConcurrencyBudget(width: numWorkers),
            bootstrapResamples: bootstrapResamples, bootstrapSeed: seed, progress: TerminalProgressReporter())
        try await suite.run(
            tasks: selected, encoder: model, outputDirectory: outputDirectory, overwrite: overwrite, options: options
        ) { task, outcome in
            if let outcome {
                let score = outcome.mainMetric.map { AggregateScores.format($0) } ?? "no main metric"
                let interval = outcome.interval.map { " ± \(AggregateScores.format($0.halfWidth))" } ?? ""
                Self.log(
                    "\(task.name): \(task.mainMetric ?? "-") \(score)\(interval) (\(outcome.sampleCount) samples, \(String(format: "%.1f", outcome.seconds)) s)"
                )
            } else {
                Self.log("\(task.name): already in \(outputDirectory)/eval_results.jsonl, skipped")
            }
        }
        let results = try EvaluationResultsFile(path: outputDirectory + "/eval_results.jsonl")
        var rows = [["task", "main metric", "value"]]
        for result in results.results {
            rows.append([
                result.dataset, EvaluationTask.named(result.key)?.mainMetric ?? "-",
                result.mainMetric.map { AggregateScores.format($0) } ?? "null",
            ])
        }
        print(Table.render(rows) + "\n" + AggregateScores(file: results).report())
    }

    /// The tasks to run: `--tasks` (each must exist and be present), or every task present.
    private func selectedTasks(_ suite: EvaluationSuite) throws -> [EvaluationTask] {
        guard let tasks else {
            let present = EvaluationTask.all.filter(suite.isPresent)
            let absent = EvaluationTask.scored.filter { !suite.isPresent($0) }
            if present.isEmpty {
                throw DataCompError(
                    .fileNotFound,
                    "no eval set of DataComp's tasks here (folders wds_<key>_test); download them with DataComp's download_evalsets.py",
                    path: dataDirectory)
            }
            if !absent.isEmpty {
                Self.log(
                    "\(absent.count) of 38 eval sets are absent and not evaluated: \(absent.map(\.key).joined(separator: ", "))"
                )
            }
            return present
        }
        let keys = tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try keys.map { key in
            guard let task = EvaluationTask.named(key) else {
                throw DataCompError(.invalidArgument, "unknown task \(key); `datacomp tasks` lists the keys")
            }
            guard suite.isPresent(task) else {
                throw DataCompError(
                    .fileNotFound,
                    "the eval set of \(key) is not here (expected the folder \(task.folderName)\(task.huggingFaceDataset.map { " or \($0) in hf_cache" } ?? ""))",
                    path: suite.directory(of: task))
            }
            return task
        }
    }

    /// As evaluate.py's `info.pkl`: the output folder records which model its results belong to
    /// (`eval_info.json`), and a resumed run with another checkpoint or config is refused.
    private func checkSameModel(_ configuration: CLIPConfiguration) throws {
        let path = outputDirectory + "/eval_info.json"
        let size = (try? FileManager.default.attributesOfItem(atPath: checkpoint)[.size] as? Int) ?? -1
        let info = JSONValue.object([
            ("checkpoint", .string(URL(fileURLWithPath: checkpoint).standardizedFileURL.path)),
            ("checkpoint_bytes", .int(size)), ("model_config", configuration.json),
        ])
        if !overwrite, let data = FileManager.default.contents(atPath: path), let saved = try? JSONValue(parsing: data),
            saved != info
        {
            throw DataCompError(
                .invalidArgument,
                "the results in this folder belong to another checkpoint or model config; use another --output-dir, or --overwrite to start again",
                path: path)
        }
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        try AtomicFile.write(Array((info.serialized(indent: 2) + "\n").utf8), to: path)
    }

    private static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
