import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp tasks`, `datacomp aggregate` and `datacomp compare` on the evaluation fixtures.
@Suite struct EvaluationCommandsTests {
    @Test("aggregate prints aggregate_scores.py's lines for all 38 tasks and a labelled partial aggregate otherwise")
    func aggregate() throws {
        let expected = try JSONValue(
            parsing: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("eval/aggregate/expected.json"))))
        let full = try CommandRunner.run(["aggregate", Fixtures.path("eval/aggregate/full_eval_results.jsonl")])
        #expect(full.status == 0, "\(full.standardError)")
        #expect(full.standardOutput == expected["full"]?["stdout"]?.stringValue)
        let viaFlag = try CommandRunner.run([
            "aggregate", "--input", Fixtures.path("eval/aggregate/full_eval_results.jsonl"),
        ])
        #expect(viaFlag.standardOutput == full.standardOutput)
        let partial = try CommandRunner.run(["aggregate", Fixtures.path("eval/aggregate/partial_eval_results.jsonl")])
        #expect(partial.status == 0)
        #expect(partial.standardOutput.hasPrefix("PARTIAL: 25 of DataComp's 38 scored tasks"))
        for name in expected["partial"]?["missing_tasks"]?.arrayValue?.compactMap(\.stringValue) ?? ["(none)"] {
            #expect(partial.standardOutput.contains(name), "the missing task \(name) is named")
        }
        let missing = try CommandRunner.run(["aggregate", "/nonexistent/eval_results.jsonl"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("/nonexistent/eval_results.jsonl"))
    }

    @Test("tasks lists the 40 tasks and marks the eval sets present in a folder")
    func tasks() throws {
        let run = try CommandRunner.run(["tasks", "--data-dir", Fixtures.path("eval/evalsets")])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count == 42)
        #expect(
            lines.contains {
                $0.hasPrefix("yes") && $0.contains("vtab/caltech101") && $0.contains("wds_vtab-caltech101_test")
            })
        #expect(lines.contains { $0.hasPrefix("-") && $0.contains("imagenet1k") })
        #expect(run.standardOutput.contains("13 of 40 eval sets present"))  // the multi-label set is no DataComp task
    }

    @Test("compare says which differences exceed the noise, per task and for the averages")
    func compare() throws {
        let folder = try Fixtures.temporaryDirectory("compare-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = Fixtures.path("eval/aggregate/full_eval_results.jsonl")
        // Run B: ImageNet 1k 0.2 higher (far beyond the binomial noise of 50,000 images), the
        // rest identical.
        let text = try String(contentsOfFile: a, encoding: .utf8)
        var lines: [String] = []
        for line in text.split(separator: "\n") {
            var value = try JSONValue(parsing: String(line))
            if value["key"]?.stringValue == "imagenet1k", case .object(var members) = value,
                let index = members.firstIndex(where: { $0.0 == "metrics" }),
                case .object(var metrics) = members[index].1
            {
                for position in metrics.indices where ["acc1", "main_metric"].contains(metrics[position].0) {
                    metrics[position].1 = .double((metrics[position].1.doubleValue ?? 0) + 0.2)
                }
                members[index].1 = .object(metrics)
                value = .object(members)
            }
            lines.append(value.serialized())
        }
        let b = folder.appendingPathComponent("eval_results.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: b, atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(["compare", a, b])
        #expect(run.status == 0, "\(run.standardError)")
        let output = run.standardOutput.split(separator: "\n")
        #expect(
            output.contains {
                $0.hasPrefix("ImageNet 1k") && $0.contains("+0.200") && $0.contains("larger than the noise")
            })
        #expect(output.contains { $0.hasPrefix("CIFAR-10 ") && $0.contains("within the noise") })
        #expect(output.contains { $0.hasPrefix("Average") && $0.contains("+0.005") })
    }
}
