import Foundation

/// WinoGAViL's association game, scored as DataComp's `wino_eval.py` scores it.
///
/// Per instance the cue, lower-cased, becomes the prompt "An <cue>" (cue starting with a, e,
/// i, o, u) or "A <cue>"; the `n` candidates most similar to the prompt are chosen, where `n` is
/// the number of true associations; the instance scores the Jaccard index of the chosen and the
/// true candidates. Reported: `avg_jaccard_score`, `jaccard_score_5`, `_6`, `_10`, `_12`,
/// `jaccard_score_5-6` (at most 6 candidates) and the main `jaccard_score_10-12` (at least 10);
/// a mean over no instances is NaN, as numpy's.
///
/// DataComp reads WinoGAViL from Hugging Face (`nlphuji/winogavil`). Here it is a webdataset
/// folder (``EvaluationTask/folderName``, `wds_misc-winogavil_test`) with one sample per
/// instance: a `json` member `{"cue": …, "candidates": […], "associations": […]}` and the
/// candidate images as members `0.png`, `1.webp`, … in candidate order (any of webp, png, jpg,
/// jpeg), plus `test/nshards.txt` as for every eval set.
public struct WinoGAViLEvaluator: Evaluator {
    /// One instance of the game.
    public struct Instance: Sendable, Hashable {
        /// The cue word.
        public var cue: String
        /// The candidates' names.
        public var candidates: [String]
        /// The names of the candidates associated with the cue.
        public var associations: [String]
        /// The candidates' encoded images, in candidate order.
        public var images: [MemberBytes]

        /// Creates an instance.
        ///
        /// - Parameters:
        ///   - cue: The cue word.
        ///   - candidates: The candidates' names.
        ///   - associations: The associated candidates' names.
        ///   - images: The candidates' encoded images, in candidate order.
        public init(cue: String, candidates: [String], associations: [String], images: [MemberBytes]) {
            self.cue = cue
            self.candidates = candidates
            self.associations = associations
            self.images = images
        }

        /// The prompt DataComp encodes: "An <cue>" or "A <cue>", lower-cased.
        public var prompt: String {
            let cue = self.cue.lowercased()
            return (["a", "e", "i", "o", "u"].contains(cue.first.map(String.init) ?? "") ? "An " : "A ") + cue
        }

        /// Which candidates are true associations (`np.isin(candidates, associations)`).
        public var truth: [Bool] { candidates.map { associations.contains($0) } }
    }

    /// The task.
    public let task: EvaluationTask
    /// The instances in file order.
    public let instances: [Instance]

    /// Reads the instances of a WinoGAViL folder.
    ///
    /// - Parameters:
    ///   - task: The task (`misc/winogavil`).
    ///   - directory: The folder.
    /// - Throws: `DataCompError` naming the shard and sample for a missing or malformed `json`
    ///   member, a candidate without an image, or no association.
    public init(task: EvaluationTask, directory: String) throws {
        self.task = task
        let countPath = directory + "/test/nshards.txt"
        guard let data = FileManager.default.contents(atPath: countPath) else {
            throw DataCompError(
                .fileNotFound, "WinoGAViL needs test/nshards.txt and its shards (one sample per instance)",
                path: countPath)
        }
        guard let count = Int(PythonText.strip(String(decoding: data, as: UTF8.self))), count >= 0 else {
            throw DataCompError(.invalidFormat, "nshards.txt must hold the number of shards", path: countPath)
        }
        var instances: [Instance] = []
        for index in 0..<count {
            let shard = directory + "/test/\(index).tar"
            var reader = try WebDatasetShardReader(path: shard)
            while let sample = try reader.next() {
                instances.append(try Self.instance(from: sample, shard: shard))
            }
        }
        self.instances = instances
    }

    /// Creates the evaluator from instances in memory.
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - instances: The instances.
    public init(task: EvaluationTask, instances: [Instance]) {
        self.task = task
        self.instances = instances
    }

    private static func instance(from sample: WebDatasetSample, shard: String) throws -> Instance {
        let position = DataCompError.Position.member(sample.key)
        guard let json = sample["json"] else {
            throw DataCompError(
                .missingMember, "instance \(sample.key) has no json member", path: shard, position: position)
        }
        let value = try DataCompError.attributing(to: shard) { try JSONValue(parsing: json) }
        guard let cue = value["cue"]?.stringValue, !cue.isEmpty,
            let candidates = value["candidates"]?.arrayValue?.compactMap(\.stringValue),
            let associations = value["associations"]?.arrayValue?.compactMap(\.stringValue), !associations.isEmpty
        else {
            throw DataCompError(
                .invalidFormat, "instance \(sample.key) needs a non-empty \"cue\", \"candidates\" and \"associations\"",
                path: shard, position: position)
        }
        let images = try candidates.indices.map { index in
            guard let image = ["webp", "png", "jpg", "jpeg"].lazy.compactMap({ sample["\(index).\($0)"] }).first else {
                throw DataCompError(
                    .missingMember,
                    "instance \(sample.key) has no image for candidate \(index) (\(index).webp, .png, .jpg or .jpeg)",
                    path: shard, position: position)
            }
            return image
        }
        return Instance(cue: cue, candidates: candidates, associations: associations, images: images)
    }

    /// Encodes the task's images and texts and computes its metrics.
    ///
    /// - Parameters:
    ///   - encoder: The model.
    ///   - options: Batch size, parallelism, progress and bootstrap.
    /// - Returns: The metrics (with `main_metric`), the interval and timings.
    /// - Throws: `DataCompError` for unreadable data or a failing encoder.
    public func evaluate(encoder: any ImageTextEncoder, options: EvaluationOptions) async throws -> TaskEvaluation {
        let start = Date()
        let progress = ProgressTracker(
            label: task.name, total: instances.count, unit: "instances", reporter: options.progress)
        var scores: [Double] = []
        var sizes: [Int] = []
        let prompts = try Embedding.embedTexts(
            instances.map(\.prompt), encoder: encoder, batchSize: max(options.batchSize, 256)
        )
        .rowNormalized()
        for (index, instance) in instances.enumerated() {
            let images = try await Embedding.embed(
                instance.images, names: instance.candidates.map { "instance \(index) candidate \($0)" },
                encoder: encoder,
                options: options, progress: nil
            ).rowNormalized()
            let similarities = Tensor.matmul(prompts.rows(index..<(index + 1)), images, transposeB: true)
            let truth = instance.truth
            let chosen = Self.largest(similarities.scalars, count: truth.filter { $0 }.count)
            var intersection = 0
            var union = 0
            for (candidate, isTrue) in truth.enumerated() {
                let isChosen = chosen.contains(candidate)
                if isChosen && isTrue { intersection += 1 }
                if isChosen || isTrue { union += 1 }
            }
            scores.append(union == 0 ? 0 : Double(intersection) / Double(union))
            sizes.append(instance.candidates.count)
            progress.advance()
        }
        progress.finish()
        let metrics = Self.metrics(scores: scores, sizes: sizes, mainMetric: task.mainMetric)
        let interval = ConfidenceInterval.bootstrap(
            count: scores.count, resamples: options.bootstrapResamples, seed: options.bootstrapSeed
        ) { indices in
            let large = indices.filter { sizes[$0] >= 10 }
            return large.isEmpty ? .nan : large.map { scores[$0] }.reduce(0, +) / Double(large.count)
        }
        return TaskEvaluation(
            task: task, metrics: metrics, interval: interval, sampleCount: instances.count,
            seconds: Date().timeIntervalSince(start))
    }

    /// `np.argsort(similarities)[-count:]`: the `count` largest values, where numpy's sort of
    /// these short rows (insertion sort below 17 elements) keeps equal values in index order, so
    /// the higher index wins a tie at the cut.
    static func largest(_ values: [Float], count: Int) -> Set<Int> {
        let ascending = values.indices.sorted { a, b in
            values[a] < values[b] || (values[a] == values[b] && a < b)
        }
        return Set(ascending.suffix(count))
    }

    /// The metrics of per-instance Jaccard scores and candidate counts.
    static func metrics(scores: [Double], sizes: [Int], mainMetric: String?) -> EvaluationMetrics {
        func mean(_ keep: (Int) -> Bool) -> Double {
            let values = zip(scores, sizes).filter { keep($0.1) }.map(\.0)
            return values.isEmpty ? .nan : AggregateScores.numpyMean(values)
        }
        var metrics = EvaluationMetrics()
        metrics["avg_jaccard_score"] = mean { _ in true }
        metrics["jaccard_score_5"] = mean { $0 == 5 }
        metrics["jaccard_score_6"] = mean { $0 == 6 }
        metrics["jaccard_score_10"] = mean { $0 == 10 }
        metrics["jaccard_score_12"] = mean { $0 == 12 }
        metrics["jaccard_score_5-6"] = mean { $0 <= 6 }
        metrics["jaccard_score_10-12"] = mean { $0 >= 10 }
        metrics["main_metric"] = mainMetric.flatMap { metrics[$0] } ?? nil
        return metrics
    }
}
