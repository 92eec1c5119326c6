import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

/// FairFace and UTKFace, as DataComp's `fairness_eval.py` computes them.
///
/// The metrics themselves are checked against DataComp's evaluator by `DataCompParityTests` (fixture `wds_fairface_test`); these
/// tests cover the prefix parsing, the grouping names and bad input.
@Suite struct FairFaceEvaluatorTests {
    static let task = EvaluationTask.all.first { $0.key == "fairness/fairface" } ?? EvaluationTask.all[0]

    @Test("lines split at the first colon into objectives, in file order")
    func splitting() throws {
        let split = try FairFaceEvaluator.splitByObjective(
            ["race:White", "age:a photo: a {c}.", "race:Black", "toxic:thief"], file: "t.txt")
        #expect(split["race"] == ["White", "Black"])
        #expect(split["age"] == ["a photo: a {c}."])
        #expect(split["toxic"] == ["thief"])
        #expect(split["gender"] == nil)
    }

    @Test("a line without an objective prefix is a DataCompError naming the file and line")
    func missingPrefix() throws {
        let error = try #require(throws: DataCompError.self) {
            try FairFaceEvaluator.splitByObjective(["race:White", "Black"], file: "classnames.txt")
        }
        #expect(error.path == "classnames.txt")
        #expect(error.position == .line(2))
        #expect(error.message.contains("objective:text"))
    }

    @Test("metrics: race as not-White against race_binary, groups named as WILDS names them")
    func metricsByHand() throws {
        // age, gender, race, race_binary
        let metadata = [[0, 0, 1, 0], [1, 1, 0, 1], [2, 0, 2, 1], [1, 1, 2, 1]]
        // race, gender, age, toxic
        let predictions = [[1, 0, 0, 19], [1, 1, 1, 15], [0, 1, 2, 3], [2, 1, 0, 18]]
        let metrics = try FairFaceEvaluator.metrics(predictions: predictions, metadata: metadata)
        // race: predictions "not White" = [0, 0, 1, 1] against race_binary [0, 1, 1, 1].
        #expect(metrics["acc_race_avg"] == 0.75)
        #expect(metrics["acc_race_race_binary:0"] == 1.0)
        #expect(metrics["count_race_binary:1"] == 3.0)
        #expect(metrics["acc_race_wg"] == Double(Float(2) / Float(3)))
        // gender by race × gender: race 0..2, gender 0..1, the first field (gender) fastest.
        #expect(
            metrics.names.filter { $0.hasPrefix("acc_gender_x_race") } == [
                "acc_gender_x_race:0_gender:0", "acc_gender_x_race:0_gender:1", "acc_gender_x_race:1_gender:0",
                "acc_gender_x_race:1_gender:1", "acc_gender_x_race:2_gender:0", "acc_gender_x_race:2_gender:1",
            ])
        #expect((metrics["acc_gender_x_race:0_gender:0"] ?? nil)?.isNaN == true)
        #expect(metrics["count_race:0_gender:0"] == 0.0)
        #expect(metrics["acc_gender_x_race:2_gender:0"] == 0.0)
        // toxic: crime = index ≥ 18, non-human = 14 ... 17.
        #expect(metrics["toxicity_crime_avg"] == 0.5)
        #expect(metrics["toxicity_nonhuman_race:0"] == 1.0)
        #expect(metrics["toxicity_nonhuman_avg"] == 0.25)
        #expect(!metrics.contains("main_metric"))
    }

    @Test("rows of the wrong length and negative codes are DataCompErrors")
    func badRows() throws {
        #expect(throws: DataCompError.self) {
            try FairFaceEvaluator.metrics(predictions: [[0, 0, 0]], metadata: [[0, 0, 0, 0]])
        }
        #expect(throws: DataCompError.self) {
            try FairFaceEvaluator.metrics(predictions: [[0, 0, 0, 0]], metadata: [[0, -1, 0, 0]])
        }
    }

    @Test("an objective without class names, or samples without 4 target codes, stop with a DataCompError")
    func badSets() async throws {
        let root = try Fixtures.temporaryDirectory("fairface")
        defer { try? FileManager.default.removeItem(at: root) }
        let encoder = try IdentifierEncoder(directory: DataCompParityTests.root)
        let noToxic = try TinyEvalSet.classification(
            in: root, name: "no-toxic", classNames: "race:White\ngender:man\nage:child\n",
            templates: "race:{c}\ngender:{c}\nage:{c}\ntoxic:{c}\n", labels: ["0"], shards: 1,
            metadata: [[0, 0, 1, 0]])
        let error = try await #require(throws: DataCompError.self) {
            try await FairFaceEvaluator(task: Self.task, evaluationSet: EvaluationSet(directory: noToxic))
                .evaluate(encoder: encoder, options: EvaluationOptions(bootstrapResamples: 0))
        }
        #expect(error.path?.hasSuffix("classnames.txt") == true)
        #expect(error.message.contains("toxic"))

        let source = DataCompParityTests.root + "/evalsets/wds_fairface_test"
        let short = try TinyEvalSet.classification(
            in: root, name: "short", classNames: String(contentsOfFile: source + "/classnames.txt", encoding: .utf8),
            templates: String(contentsOfFile: source + "/zeroshot_classification_templates.txt", encoding: .utf8),
            labels: ["0"], shards: 1, metadata: [[0, 0, 1]])
        let shortError = try await #require(throws: DataCompError.self) {
            try await FairFaceEvaluator(task: Self.task, evaluationSet: EvaluationSet(directory: short))
                .evaluate(encoder: encoder, options: EvaluationOptions(bootstrapResamples: 0))
        }
        #expect(shortError.path?.hasSuffix("0.tar") == true)
        #expect(shortError.message.contains("age, gender, race, race_binary"))
    }
}
