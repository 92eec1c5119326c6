import Foundation

/// DataComp's evaluation over a folder of eval sets: which evaluator each task gets, and a run
/// over many tasks that appends to `eval_results.jsonl` and resumes.
///
/// ```swift
/// let suite = EvaluationSuite(dataDirectory: "/data/evalsets")
/// let outcomes = try await suite.run(
///     tasks: EvaluationTask.scored, encoder: encoder, outputDirectory: "out", options: EvaluationOptions())
/// print(AggregateScores(results: outcomes.map(\.result)).report())
/// ```
public struct EvaluationSuite: Sendable {
    /// The folder `download_evalsets.py` filled (one `wds_…_test` folder per task).
    public let dataDirectory: String

    /// Creates a suite over a folder of eval sets.
    ///
    /// - Parameter dataDirectory: The folder.
    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The folder of a task's eval set.
    ///
    /// - Parameter task: The task.
    /// - Returns: `dataDirectory/folderName`.
    public func directory(of task: EvaluationTask) -> String {
        dataDirectory + "/" + task.folderName
    }

    /// The Hugging Face cache `download_evalsets.py` fills: `dataDirectory/hf_cache`.
    public var huggingFaceCache: String { dataDirectory + "/hf_cache" }

    /// Whether a task's eval set is here: its webdataset folder, or for Flickr, MSCOCO and
    /// WinoGAViL their prepared split in the Hugging Face cache.
    ///
    /// - Parameter task: The task.
    /// - Returns: Whether it is present.
    public func isPresent(_ task: EvaluationTask) -> Bool {
        hasFolder(task) || huggingFaceFiles(of: task) != nil
    }

    private func hasFolder(_ task: EvaluationTask) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory(of: task), isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    private func huggingFaceFiles(of task: EvaluationTask) -> [String]? {
        task.huggingFaceDataset.flatMap { HuggingFaceEvalSet.locate(dataset: $0, cacheDirectory: huggingFaceCache) }
    }

    /// The evaluator DataComp uses for a task.
    ///
    /// - Parameter task: The task.
    /// - Returns: The evaluator, reading the task's eval set folder.
    /// - Throws: `DataCompError` when the folder is missing or unreadable.
    public func evaluator(for task: EvaluationTask) throws -> any Evaluator {
        // DataComp reads Flickr, MSCOCO and WinoGAViL from the Hugging Face cache; a webdataset
        // copy is read when the cache does not have them.
        // The cache is searched once: its files, or (neither cache nor folder) the error saying
        // how to download the split.
        let cached = huggingFaceFiles(of: task)
        if let dataset = task.huggingFaceDataset, cached != nil || !hasFolder(task) {
            let set =
                try cached.map {
                    HuggingFaceEvalSet(
                        dataset: dataset, split: "test", cacheDirectory: huggingFaceCache, arrowFiles: $0)
                } ?? HuggingFaceEvalSet(dataset: dataset, cacheDirectory: huggingFaceCache)
            if task.kind == .association {
                return WinoGAViLEvaluator(task: task, instances: try set.winoGAViLInstances())
            }
            return ZeroShotRetrievalEvaluator(task: task, samples: try set.retrievalSamples())
        }
        switch task.kind {
        case .association:
            return try WinoGAViLEvaluator(task: task, directory: directory(of: task))
        case .demographic:
            return FairFaceEvaluator(task: task, evaluationSet: try EvaluationSet(directory: directory(of: task)))
        case .retrieval:
            return ZeroShotRetrievalEvaluator(
                task: task, evaluationSet: try EvaluationSet(directory: directory(of: task)))
        case .classification, .wilds, .fairness, .multilabel:
            return ZeroShotClassificationEvaluator(
                task: task, evaluationSet: try EvaluationSet(directory: directory(of: task)))
        }
    }

    /// Evaluates tasks one after the other, saving each result as soon as it is computed.
    ///
    /// Each result is appended to
    /// `outputDirectory/eval_results.jsonl` (and its interval to `eval_intervals.jsonl`) as soon
    /// as it is computed. Tasks already in the results file are skipped unless `overwrite`.
    ///
    /// - Parameters:
    ///   - tasks: The tasks, in order.
    ///   - encoder: The model.
    ///   - outputDirectory: Where the results files go (created if needed).
    ///   - overwrite: Whether to start a new results file instead of resuming.
    ///   - options: Batch size, parallelism, progress and bootstrap.
    ///   - onResult: Called after each task with its outcome, or `nil` when it was skipped.
    /// - Returns: The outcomes of the tasks evaluated now.
    /// - Throws: `DataCompError` from reading data, the encoder or writing files; the results
    ///   written before the failure stay in place.
    @discardableResult
    public func run(
        tasks: [EvaluationTask], encoder: any ImageTextEncoder, outputDirectory: String, overwrite: Bool = false,
        options: EvaluationOptions, onResult: (EvaluationTask, TaskEvaluation?) -> Void = { _, _ in }
    ) async throws -> [TaskEvaluation] {
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(
                .io, "cannot create the output folder: \(error.localizedDescription)", path: outputDirectory)
        }
        let resultsPath = outputDirectory + "/eval_results.jsonl"
        var results = try EvaluationResultsFile(path: resultsPath)
        var intervals = try IntervalsFile(path: IntervalsFile.path(besideResults: resultsPath))
        if overwrite {
            try results.removeAll()
            try intervals.removeAll()
        }
        var outcomes: [TaskEvaluation] = []
        for task in tasks {
            if results.contains(key: task.key) {
                onResult(task, nil)
                continue
            }
            let outcome = try await evaluator(for: task).evaluate(encoder: encoder, options: options)
            try results.append(outcome.result)
            if let interval = outcome.interval, let name = task.mainMetric, let value = outcome.mainMetric {
                try intervals.record(
                    IntervalsFile.Entry(
                        key: task.key, dataset: task.name, metric: name, value: value, interval: interval,
                        samples: outcome.sampleCount))
            }
            outcomes.append(outcome)
            onResult(task, outcome)
        }
        return outcomes
    }
}
