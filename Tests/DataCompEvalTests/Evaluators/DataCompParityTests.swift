import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

/// Every evaluator against DataComp's own evaluation code.
///
/// The reference is evaluate.py + eval_utils with clip_benchmark 1.4.0, WILDS 2.0.0 and
/// scikit-learn, run on the same eval sets with the same embeddings:
/// `Tests/Fixtures/eval`, made by `Scripts/fixtures/eval_fixtures.py`. Tolerance 1e-6 per metric
/// (the issue's bound for identical embeddings); metric names and order must match exactly.
@Suite struct DataCompParityTests {
    static let root = Fixtures.path("eval")

    static func expectedRows() throws -> [JSONValue] {
        let text = try String(contentsOfFile: root + "/expected_eval_results.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    static func task(for row: JSONValue) -> EvaluationTask? {
        guard let key = row["key"]?.stringValue else { return nil }
        if let task = EvaluationTask.named(key) { return task }
        if key == "voc2007_multilabel" {
            return EvaluationTask(
                key: key, name: row["dataset"]?.stringValue ?? key, kind: .multilabel,
                mainMetric: "mean_average_precision", size: 0)
        }
        return nil
    }

    /// The evaluator `EvaluationSuite` picks: Flickr, MSCOCO and WinoGAViL come from the
    /// fixture's Hugging Face cache (`evalsets/hf_cache`), as DataComp reads them.
    static func evaluator(for task: EvaluationTask) throws -> any Evaluator {
        try EvaluationSuite(dataDirectory: root + "/evalsets").evaluator(for: task)
    }

    /// The same sets from their other copies: the retrieval sets' webdataset folders and the
    /// WinoGAViL instances file with its images.
    static func copyEvaluator(for task: EvaluationTask) throws -> any Evaluator {
        if task.kind == .association {
            let json = try JSONValue(
                parsing: Data(contentsOf: URL(fileURLWithPath: root + "/evalsets/winogavil/instances.json")))
            let instances = try (json.arrayValue ?? []).map { item in
                WinoGAViLEvaluator.Instance(
                    cue: item["cue"]?.stringValue ?? "",
                    candidates: item["candidates"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    associations: item["associations"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    images: try (item["candidate_image_ids"]?.arrayValue ?? []).map {
                        MemberBytes(try Fixtures.bytes("eval/evalsets/winogavil/images/\($0.intValue ?? -1).png"))
                    })
            }
            return WinoGAViLEvaluator(task: task, instances: instances)
        }
        return ZeroShotRetrievalEvaluator(
            task: task, evaluationSet: try EvaluationSet(directory: root + "/evalsets/" + task.folderName))
    }

    @Test("Flickr, MSCOCO and WinoGAViL read from their webdataset and instance copies give DataComp's metrics too")
    func copies() async throws {
        let encoder = try IdentifierEncoder(directory: Self.root)
        var largest: [String: Double] = [:]
        var checked = 0
        for row in try Self.expectedRows() {
            guard let task = Self.task(for: row), task.huggingFaceDataset != nil else { continue }
            let outcome = try await Self.copyEvaluator(for: task).evaluate(
                encoder: encoder, options: EvaluationOptions(bootstrapResamples: 0))
            try Self.expectEqual(outcome.metrics, row, task: task, largest: &largest)
            checked += 1
        }
        #expect(checked == 3)
    }

    /// Expects a task's metrics to have DataComp's names in DataComp's order and values within
    /// 1e-6 (nil and NaN where DataComp has them), and records the largest difference per family.
    static func expectEqual(
        _ metrics: EvaluationMetrics, _ row: JSONValue, task: EvaluationTask, largest: inout [String: Double]
    ) throws {
        let expected = try EvaluationResult(json: row)
        #expect(metrics.names == expected.metrics.names, "\(task.key): metric names")
        for (name, value) in expected.metrics {
            let ours = metrics[name] ?? nil
            switch (value, ours) {
            case (nil, nil): continue
            case (let a?, let b?) where a.isNaN && b.isNaN: continue
            case (let a?, let b?):
                let difference = abs(a - b)
                let family = Self.family(name)
                largest[family] = max(largest[family] ?? 0, difference)
                #expect(difference <= 1e-6, "\(task.key) \(name): DataComp \(a), ours \(b)")
            default:
                Issue.record(
                    "\(task.key) \(name): DataComp \(String(describing: value)), ours \(String(describing: ours))")
            }
        }
    }

    @Test("every task's metrics equal DataComp's within 1e-6, with the same names in the same order")
    func parity() async throws {
        let encoder = try IdentifierEncoder(directory: Self.root)
        var largest: [String: Double] = [:]
        var checked = 0
        for row in try Self.expectedRows() {
            guard let task = Self.task(for: row) else {
                Issue.record("no task for \(row["key"]?.stringValue ?? "?")")
                continue
            }
            let outcome = try await Self.evaluator(for: task).evaluate(
                encoder: encoder, options: EvaluationOptions(bootstrapResamples: 0))
            let expected = try EvaluationResult(json: row)
            #expect(outcome.result.key == expected.key)
            #expect(outcome.result.dataset == expected.dataset || task.kind == .multilabel)
            try Self.expectEqual(outcome.metrics, row, task: task, largest: &largest)
            checked += 1
        }
        #expect(checked >= 13)
        print("largest |difference| per metric family: \(largest.sorted { $0.key < $1.key })")
    }

    static func family(_ name: String) -> String {
        if name.contains("retrieval_recall") || name.hasPrefix("mean_recall") { return "retrieval" }
        if name.hasPrefix("jaccard") || name.hasPrefix("avg_jaccard") { return "winogavil" }
        if name.hasPrefix("count_") { return "group counts" }
        if ["acc_race", "acc_gender", "acc_age", "toxicity"].contains(where: name.hasPrefix) { return "fairface" }
        if name.contains(":") || name.hasSuffix("_wg") || name.hasPrefix("acc_worst") || name.hasSuffix("_avg") {
            return "group accuracy"
        }
        if name.contains("macro") { return "macro recall/F1" }
        return name
    }

    @Test("the prompts encoded are exactly the templates filled with the stripped class names")
    func prompts() async throws {
        let encoder = try IdentifierEncoder(directory: Self.root)
        let task = EvaluationTask.named("vtab/clevr_closest_object_distance")!
        _ = try await Self.evaluator(for: task).evaluate(
            encoder: encoder, options: EvaluationOptions(bootstrapResamples: 0))
        let set = try EvaluationSet(directory: Self.root + "/evalsets/" + task.folderName)
        #expect(set.classNames.count == 5)
        let expected = try set.classNames.flatMap { name in
            try set.templates.map { try ZeroShotClassifier.fill($0, with: name) }
        }
        #expect(encoder.requestedTexts.all == expected)
    }
}
