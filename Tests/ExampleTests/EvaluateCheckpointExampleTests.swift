import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Runs the `evaluate-checkpoint` example (Examples/evaluate-checkpoint) on the evaluation fixtures
/// with a freshly initialised mini-ViT.
@Suite struct EvaluateCheckpointExampleTests {
    @Test("Evaluates the DataComp tasks present, writes eval_results.jsonl and prints the partial averages")
    func evaluates() throws {
        let binary = CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("evaluate-checkpoint")
        let folder = try Fixtures.temporaryDirectory("evaluate-checkpoint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CommandRunner.run(executable: binary, [Fixtures.path("eval/evalsets"), folder.path])
        #expect(run.status == 0, "\(run.standardError)")
        let rows = try String(contentsOf: folder.appendingPathComponent("eval_results.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(rows.count == 12)  // the 11 wds tasks and WinoGAViL from the Hugging Face cache
        for row in rows {
            let value = try JSONValue(parsing: String(row))
            #expect(value["metrics"]?["main_metric"] != nil)
        }
        #expect(run.standardOutput.contains("Caltech-101: mean_per_class_recall "))
        #expect(run.standardOutput.contains("PARTIAL: 12 of DataComp's 38 scored tasks"))
        #expect(try CommandRunner.run(executable: binary, []).status == 2)
    }
}
