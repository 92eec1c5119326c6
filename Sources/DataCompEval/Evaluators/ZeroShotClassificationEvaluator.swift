import Foundation

/// Zero-shot classification of a webdataset eval set, with the extra metrics DataComp computes
/// for WILDS, fairness and multi-label sets.
///
/// What it computes follows the task's ``EvaluationTask/kind`` and key, as DataComp's
/// `eval_utils` dispatch does:
///
/// - every single-label set: `acc1`, `acc5` (`null` with fewer than 5 class names) and
///   `mean_per_class_recall` (`wds_eval.py`);
/// - `wilds/iwildcam`: `acc_avg`, `recall-macro_all`, `F1-macro_all`; `wilds/camelyon17`:
///   accuracy per slide and the worst slide; `wilds/fmow`: accuracy per year and region with the
///   worst of each (`acc_worst_year`, `acc_worst_region`) (`wilds_eval.py`);
/// - `fairness/dollar_street`: top-5 accuracy per income group and the worst (`acc_top5_wg`);
///   `fairness/geode`: top-1 accuracy per region and the worst (`acc_wg`) (`fairness_eval.py`);
/// - multi-label sets: `mean_average_precision` (clip_benchmark's multi-label branch).
public struct ZeroShotClassificationEvaluator: Evaluator {
    /// The task.
    public let task: EvaluationTask
    /// The eval set.
    public let evaluationSet: EvaluationSet

    /// Creates the evaluator of a classification task.
    ///
    /// - Parameters:
    ///   - task: The task (its kind and key choose the extra metrics).
    ///   - evaluationSet: Its eval set.
    public init(task: EvaluationTask, evaluationSet: EvaluationSet) {
        self.task = task
        self.evaluationSet = evaluationSet
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
        let grouping = Self.grouping(for: task.key)
        let samples = try evaluationSet.samples(readsMetadata: grouping != nil)
        let progress = ProgressTracker(
            label: task.name, total: samples.count, unit: "images", reporter: options.progress)
        let classifier = try ZeroShotClassifier(
            classNames: evaluationSet.classNames, templates: evaluationSet.templates, encoder: encoder,
            batchSize: max(options.batchSize, 256))
        let images = try await Embedding.embed(
            samples.map(\.image), names: samples.map { "\($0.shard) sample \($0.key)" }, encoder: encoder,
            options: options,
            progress: progress)
        let logits = classifier.logits(for: images)
        progress.finish()

        var metrics: EvaluationMetrics
        var interval: ConfidenceInterval?
        if evaluationSet.kind == .multilabel {
            let targets = samples.flatMap { $0.labels ?? [] }
            metrics = [
                "mean_average_precision": ClassificationMetrics.meanAveragePrecision(scores: logits, targets: targets)
            ]
            metrics["main_metric"] = task.mainMetric.flatMap { metrics[$0] } ?? nil
            interval = ConfidenceInterval.bootstrap(
                count: samples.count, resamples: options.bootstrapResamples, seed: options.bootstrapSeed
            ) { indices in
                ClassificationMetrics.meanAveragePrecision(
                    scores: logits.gathering(rows: indices),
                    targets: indices.flatMap { samples[$0].labels ?? [] })
            }
        } else {
            let outcome = ClassificationOutcome(
                logits: logits, labels: samples.map { $0.label ?? 0 }, classNameCount: classifier.classNames.count,
                metadata: samples.map { $0.metadata ?? [] })
            metrics = outcome.standardMetrics
            if let grouping {
                metrics.merge(try outcome.groupMetrics(grouping))
            }
            metrics["main_metric"] = task.mainMetric.flatMap { metrics[$0] } ?? nil
            if let name = task.mainMetric {
                interval = ConfidenceInterval.bootstrap(
                    count: samples.count, resamples: options.bootstrapResamples, seed: options.bootstrapSeed
                ) { indices in
                    (try? outcome.resampled(indices).metric(named: name, grouping: grouping)) ?? .nan
                }
            }
        }
        if !metrics.contains("main_metric") {
            metrics["main_metric"] = task.mainMetric.flatMap { metrics[$0] } ?? nil
        }
        return TaskEvaluation(
            task: task, metrics: metrics, interval: interval, sampleCount: samples.count,
            seconds: Date().timeIntervalSince(start))
    }

    /// The metadata grouping DataComp applies to a task, if any.
    static func grouping(for key: String) -> ClassificationOutcome.Grouping? {
        switch key {
        case "wilds/iwildcam": return .iWildCam
        case "wilds/camelyon17": return .camelyon17
        case "wilds/fmow": return .fMoW
        case "fairness/dollar_street": return .dollarStreet
        case "fairness/geode": return .geoDE
        default: return nil
        }
    }
}

/// The logits and labels of a single-label classification, and the metrics computed from them.
struct ClassificationOutcome: Sendable {
    /// The WILDS and fairness evaluators of DataComp's `wilds_eval.py` and `fairness_eval.py`.
    enum Grouping: Sendable {
        case iWildCam, camelyon17, fMoW, dollarStreet, geoDE
    }

    var labels: [Int]
    var classNameCount: Int
    var metadata: [[Int]]
    /// Each sample's best `min(5, classes)` classes, best first.
    var top: [[Int]]
    /// Each sample's `argmax`.
    var predictions: [Int]

    init(logits: Tensor, labels: [Int], classNameCount: Int, metadata: [[Int]]) {
        self.labels = labels
        self.classNameCount = classNameCount
        self.metadata = metadata
        top = Ranking.topIndices(logits, k: 5)
        predictions = Ranking.argmax(logits)
    }

    private init(labels: [Int], classNameCount: Int, metadata: [[Int]], top: [[Int]], predictions: [Int]) {
        (self.labels, self.classNameCount, self.metadata, self.top, self.predictions) =
            (labels, classNameCount, metadata, top, predictions)
    }

    /// The outcome restricted to `indices` (with repeats), for the bootstrap.
    func resampled(_ indices: [Int]) -> ClassificationOutcome {
        ClassificationOutcome(
            labels: indices.map { labels[$0] }, classNameCount: classNameCount, metadata: indices.map { metadata[$0] },
            top: indices.map { top[$0] }, predictions: indices.map { predictions[$0] })
    }

    /// `acc1`, `acc5` (`null` below 5 class names) and `mean_per_class_recall`.
    var standardMetrics: EvaluationMetrics {
        var metrics = EvaluationMetrics()
        metrics["acc1"] = ClassificationMetrics.topKAccuracy(topIndices: top, labels: labels, k: 1)
        metrics["acc5"] =
            classNameCount >= 5
            ? ClassificationMetrics.topKAccuracy(topIndices: top, labels: labels, k: 5) : nil as Double?
        metrics["mean_per_class_recall"] = ClassificationMetrics.balancedAccuracy(
            predictions: predictions, labels: labels)
        return metrics
    }

    /// One metric by name (for the bootstrap).
    func metric(named name: String, grouping: Grouping?) throws -> Double {
        var metrics = standardMetrics
        if let grouping { metrics.merge(try groupMetrics(grouping)) }
        return (metrics[name] ?? nil) ?? .nan
    }

    /// The extra metrics of a WILDS or fairness task, named and ordered as DataComp writes them.
    func groupMetrics(_ grouping: Grouping) throws -> EvaluationMetrics {
        let top1 = zip(predictions, labels).map { $0 == $1 }
        var metrics = EvaluationMetrics()
        switch grouping {
        case .iWildCam:
            let macro = ClassificationMetrics.macroRecallAndF1(predictions: predictions, labels: labels)
            metrics["acc_avg"] = GroupedAccuracy.mean(top1.lazy.filter { $0 }.count, top1.count)
            metrics["recall-macro_all"] = macro.recall
            metrics["F1-macro_all"] = macro.f1
        case .camelyon17:
            // Fields hospital, slide, y; grouped by slide.
            try Self.groupEvaluation(into: &metrics, name: "acc", field: "slide", correct: top1, codes: column(1))
        case .fMoW:
            // Fields region, year, y: by year (the worst renamed acc_worst_year), then by region.
            try Self.groupEvaluation(into: &metrics, name: "acc", field: "year", correct: top1, codes: column(1))
            let worstYear = metrics["acc_wg"] ?? nil
            metrics["acc_wg"] = nil
            metrics["acc_worst_year"] = worstYear
            let regions = try GroupedAccuracy(correct: top1, groups: column(0))
            for (code, group) in regions.groups.enumerated() {
                metrics["acc_region:\(code)"] = group.value
                metrics["count_region:\(code)"] = Double(group.count)
            }
            metrics["acc_worst_region"] = regions.worst
        case .dollarStreet:
            // Fields income_ds, income_meta, region; top-5 accuracy grouped by income_ds.
            let top5 = zip(top, labels).map { $0.prefix(5).contains($1) }
            try Self.groupEvaluation(
                into: &metrics, name: "acc_top5", field: "income_ds", correct: top5, codes: column(0))
        case .geoDE:
            // Fields region, country; grouped by region.
            try Self.groupEvaluation(into: &metrics, name: "acc", field: "region", correct: top1, codes: column(0))
        }
        return metrics
    }

    /// WILDS' `standard_group_eval` grouped by one field: `<name>_avg`, then
    /// `<name>_<field>:<g>` and `count_<field>:<g>` per group, then `<name>_wg`.
    private static func groupEvaluation(
        into metrics: inout EvaluationMetrics, name: String, field: String, correct: [Bool], codes: [Int]
    ) throws {
        try CombinatorialGrouping(fields: [(field, codes)]).evaluate(into: &metrics, name: name, correct: correct)
    }

    /// Metadata column `index` of every sample.
    private func column(_ index: Int) throws -> [Int] {
        try metadata.enumerated().map { row, values in
            guard index < values.count else {
                throw DataCompError(
                    .shapeMismatch,
                    "sample \(row) has \(values.count) metadata values; this task groups by value \(index + 1)",
                    position: .row(row))
            }
            return values[index]
        }
    }
}
