import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct WinoGAViLEvaluatorTests {
    /// The fixture's instances written in the webdataset layout the evaluator reads
    /// (`wds_misc-winogavil_test`: one sample per instance, `json` + `0.png`, `1.png`, …).
    static func writeFolder(in root: URL) throws -> String {
        let source = Fixtures.path("eval/evalsets/winogavil")
        let json = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: source + "/instances.json")))
        var samples: [WebDatasetSample] = []
        for (index, item) in (json.arrayValue ?? []).enumerated() {
            let record = JSONValue.object([
                ("cue", item["cue"] ?? .null), ("candidates", item["candidates"] ?? .null),
                ("associations", item["associations"] ?? .null),
            ])
            var members = [
                WebDatasetSample.Member(fileExtension: "json", bytes: MemberBytes(utf8: record.serialized()))
            ]
            for (candidate, id) in (item["candidate_image_ids"]?.arrayValue ?? []).enumerated() {
                members.append(
                    .init(
                        fileExtension: "\(candidate).png",
                        bytes: MemberBytes(try Fixtures.bytes(atPath: source + "/images/\(id.intValue ?? -1).png"))))
            }
            samples.append(WebDatasetSample(key: String(format: "s%07d", index), members: members))
        }
        let directory = root.appendingPathComponent("wds_misc-winogavil_test")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("test"), withIntermediateDirectories: true)
        try TinyEvalSet.writeShards(samples, to: directory, count: 2)
        return directory.path
    }

    @Test("a WinoGAViL folder in the webdataset layout scores as DataComp's wino_eval.py on the same instances")
    func folder() async throws {
        let root = try Fixtures.temporaryDirectory("winogavil")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Self.writeFolder(in: root)
        let task = try #require(EvaluationTask.named("misc/winogavil"))
        let evaluator = try EvaluationSuite(dataDirectory: root.path).evaluator(for: task)
        let outcome = try await evaluator.evaluate(
            encoder: try IdentifierEncoder(directory: Fixtures.path("eval")),
            options: EvaluationOptions(bootstrapResamples: 200))
        let expected = try DataCompParityTests.expectedRows().first { $0["key"]?.stringValue == "misc/winogavil" }
        let metrics = try EvaluationResult(json: try #require(expected)).metrics
        #expect(outcome.metrics.names == metrics.names)
        for (name, value) in metrics { #expect(abs((outcome.metrics[name] ?? nil)! - value!) <= 1e-12, "\(name)") }
        #expect(outcome.sampleCount == 20)
        let interval = try #require(outcome.interval)
        #expect(interval.lower <= outcome.mainMetric! && outcome.mainMetric! <= interval.upper)
    }

    @Test("the prompt is A/An + the lower-cased cue, by its first letter only (\"A hour\", \"An unicorn\")")
    func prompts() {
        func prompt(_ cue: String) -> String {
            WinoGAViLEvaluator.Instance(cue: cue, candidates: [], associations: [], images: []).prompt
        }
        #expect(prompt("Unicorn") == "An unicorn")
        #expect(prompt("hour") == "A hour")
        #expect(prompt("Eagle") == "An eagle")
    }
}
