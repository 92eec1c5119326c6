import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

/// An encoder that fails on one image batch, as a crashed or killed model would stop a run.
private struct FailingEncoder: ImageTextEncoder {
    let base: IdentifierEncoder
    let failingBatch: Int
    let calls = RequestLog()
    var embeddingDimension: Int { base.embeddingDimension }
    var imagePreprocessor: ImagePreprocessor { base.imagePreprocessor }
    func encodeImages(_ pixels: Tensor) throws -> Tensor {
        calls.append(["batch"])
        if calls.all.count == failingBatch { throw DataCompError(.io, "the encoder went away") }
        return try base.encodeImages(pixels)
    }
    func encodeTexts(_ texts: StringColumn) throws -> Tensor { try base.encodeTexts(texts) }
}

@Suite struct EvaluationSuiteTests {
    static let tasks = ["vtab/kitti_closest_vehicle_distance", "wilds/camelyon17", "fairness/geode"].compactMap(
        EvaluationTask.named)

    @Test("a run that fails mid-task keeps the tasks already written, and the rerun resumes after them")
    func resume() async throws {
        let output = try Fixtures.temporaryDirectory("eval-resume")
        defer { try? FileManager.default.removeItem(at: output) }
        let suite = EvaluationSuite(dataDirectory: Fixtures.path("eval/evalsets"))
        let base = try IdentifierEncoder(directory: Fixtures.path("eval"))
        let options = EvaluationOptions(batchSize: 4, bootstrapResamples: 100)
        // KITTI (12 images) takes 3 batches of 4; the failure comes in Camelyon17's second batch.
        await #expect(throws: DataCompError.self) {
            try await suite.run(
                tasks: Self.tasks, encoder: FailingEncoder(base: base, failingBatch: 5), outputDirectory: output.path,
                options: options)
        }
        let resultsPath = output.appendingPathComponent("eval_results.jsonl").path
        let afterFailure = try EvaluationResultsFile(path: resultsPath)
        #expect(afterFailure.results.map(\.key) == ["vtab/kitti_closest_vehicle_distance"])
        #expect(try String(contentsOfFile: resultsPath, encoding: .utf8).hasSuffix("}\n"))
        let intervals = try IntervalsFile(path: IntervalsFile.path(besideResults: resultsPath))
        #expect(intervals.entries.map(\.key) == ["vtab/kitti_closest_vehicle_distance"])

        var skipped: [String] = []
        let outcomes = try await suite.run(
            tasks: Self.tasks, encoder: base, outputDirectory: output.path, options: options
        ) { task, outcome in
            if outcome == nil { skipped.append(task.key) }
        }
        #expect(skipped == ["vtab/kitti_closest_vehicle_distance"])
        #expect(outcomes.map(\.task.key) == ["wilds/camelyon17", "fairness/geode"])
        let final = try EvaluationResultsFile(path: resultsPath)
        #expect(final.results.map(\.key) == Self.tasks.map(\.key))
        #expect(final.result(for: "vtab/kitti_closest_vehicle_distance") == afterFailure.results.first)

        // --overwrite starts again and gives the same rows.
        try await suite.run(
            tasks: Self.tasks, encoder: base, outputDirectory: output.path, overwrite: true, options: options)
        #expect(try EvaluationResultsFile(path: resultsPath).results == final.results)
    }

    @Test("the bootstrap interval is seeded, brackets the metric and narrows with more samples")
    func intervals() async throws {
        let suite = EvaluationSuite(dataDirectory: Fixtures.path("eval/evalsets"))
        let encoder = try IdentifierEncoder(directory: Fixtures.path("eval"))
        let task = try #require(EvaluationTask.named("wilds/fmow"))
        let first = try await suite.evaluator(for: task).evaluate(
            encoder: encoder, options: EvaluationOptions(bootstrapSeed: 7))
        let second = try await suite.evaluator(for: task).evaluate(
            encoder: encoder, options: EvaluationOptions(bootstrapSeed: 7))
        let interval = try #require(first.interval)
        #expect(interval == second.interval)
        #expect(interval.resamples == 1000 && interval.seed == 7)
        let value = try #require(first.mainMetric)
        #expect(interval.lower <= value && value <= interval.upper)
        #expect(interval.upper > interval.lower)
        let wide = ConfidenceInterval.bootstrap(count: 20, resamples: 500, seed: 1) { indices in
            Double(indices.filter { $0 % 2 == 0 }.count) / Double(indices.count)
        }
        let narrow = ConfidenceInterval.bootstrap(count: 2000, resamples: 500, seed: 1) { indices in
            Double(indices.filter { $0 % 2 == 0 }.count) / Double(indices.count)
        }
        #expect(try #require(narrow).halfWidth < (try #require(wide)).halfWidth / 4)
    }

    @Test("an image that cannot be decoded stops the task with a DataCompError naming the shard and sample")
    func unreadableImage() async throws {
        let root = try Fixtures.temporaryDirectory("eval-bad-image")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try TinyEvalSet.classification(
            in: root, classNames: "a\nb\n", labels: ["0", "1", "0"], shards: 1,
            extraMembers: [1: [.init(fileExtension: "webp", bytes: MemberBytes(utf8: "not a webp file"))]])
        let set = try EvaluationSet(directory: path)
        let task = EvaluationTask(key: "tiny", name: "Tiny", kind: .classification, mainMetric: "acc1", size: 3)
        let encoder = IdentifierEncoder(
            imageTable: Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 0, 0, 1]),
            texts: ["a photo of a a.", "a photo of a b."],
            textTable: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        let error = await #expect(throws: DataCompError.self) {
            try await ZeroShotClassificationEvaluator(task: task, evaluationSet: set).evaluate(
                encoder: encoder, options: EvaluationOptions())
        }
        #expect(error?.message.contains("s0000001") == true)
        #expect(error?.message.contains(path + "/test/0.tar") == true)
    }
}
