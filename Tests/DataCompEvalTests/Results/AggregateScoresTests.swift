import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

/// `aggregate_scores.py` run on `Tests/Fixtures/eval/aggregate/*.jsonl` (expected.json, made by
/// `Scripts/fixtures/eval_fixtures.py`): the scores agree to 1e-12 (pandas' float parsing and a
/// set's iteration order move the last bits of the reference) and the printed text is identical.
@Suite struct AggregateScoresTests {
    static func expected() throws -> JSONValue {
        try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("eval/aggregate/expected.json"))))
    }

    @Test("all 38 tasks: the five scores and the printed report equal aggregate_scores.py's")
    func full() throws {
        let expected = try Self.expected()["full"]!
        let scores = AggregateScores(
            file: try EvaluationResultsFile(path: Fixtures.path("eval/aggregate/full_eval_results.jsonl")))
        #expect(!scores.isPartial)
        #expect(scores.taskCount == 38)
        for (name, value) in expected["scores"]?.objectMembers ?? [] {
            let ours = try #require(scores[name])
            #expect(abs(ours - (value.doubleValue ?? .nan)) <= 1e-12, "\(name)")
        }
        #expect(scores.report() + "\n" == expected["stdout"]?.stringValue)
    }

    @Test("tasks missing: a partial aggregate over the tasks present, labelled, naming the missing tasks")
    func partial() throws {
        let expected = try Self.expected()["partial"]!
        let file = try EvaluationResultsFile(path: Fixtures.path("eval/aggregate/partial_eval_results.jsonl"))
        let scores = AggregateScores(file: file)
        #expect(scores.isPartial)
        #expect(scores.taskCount == file.results.filter { $0.mainMetric != nil }.count)
        #expect(scores.missingTasks.count == 38 - scores.taskCount)
        #expect(Set(scores.missingTasks) == Set(expected["missing_tasks"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        let means = expected["group_means_over_present_tasks"]?.objectMembers ?? []
        for (name, value) in means {
            guard let number = value.doubleValue, name != "n_main_metrics" else { continue }
            let ours = try #require(scores[name])
            #expect(abs(ours - number) <= 1e-12, "\(name)")
        }
        #expect(scores.report().hasPrefix("PARTIAL: \(scores.taskCount) of DataComp's 38 scored tasks"))
    }
}
