import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct EvaluationResultsFileTests {
    @Test("rows are written as DataComp's json.dumps writes them and read back; re-appending a key replaces it")
    func roundTrip() throws {
        let directory = try Fixtures.temporaryDirectory("eval-results")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("eval_results.jsonl").path
        var file = try EvaluationResultsFile(path: path)
        let metrics: EvaluationMetrics = ["acc1": 0.5, "acc5": nil, "mean_per_class_recall": 0.25, "main_metric": 0.5]
        try file.append(
            EvaluationResult(
                key: "vtab/kitti_closest_vehicle_distance", dataset: "KITTI Vehicle Distance", metrics: metrics))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text
                == #"{"key": "vtab/kitti_closest_vehicle_distance", "dataset": "KITTI Vehicle Distance", "metrics": {"acc1": 0.5, "acc5": null, "mean_per_class_recall": 0.25, "main_metric": 0.5}}"#
                + "\n")
        try file.append(
            EvaluationResult(key: "cifar10", dataset: "CIFAR-10", metrics: ["acc1": .nan, "main_metric": .nan]))
        try file.append(
            EvaluationResult(
                key: "vtab/kitti_closest_vehicle_distance", dataset: "KITTI Vehicle Distance",
                metrics: ["main_metric": 0.75]))
        let reread = try EvaluationResultsFile(path: path)
        #expect(reread.results.map(\.key) == ["cifar10", "vtab/kitti_closest_vehicle_distance"])
        #expect(reread.result(for: "vtab/kitti_closest_vehicle_distance")?.mainMetric == 0.75)
        #expect(reread.result(for: "cifar10")?.mainMetric?.isNaN == true)
        #expect(reread.contains(key: "cifar10") && !reread.contains(key: "mnist"))
    }

    @Test("a damaged line is a DataCompError naming the file and line")
    func damagedLine() throws {
        let directory = try Fixtures.temporaryDirectory("eval-results-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("eval_results.jsonl").path
        try (#"{"key": "cifar10", "dataset": "CIFAR-10", "metrics": {"acc1": 0.5}}"# + "\n{\"key\": \"mnist\", \"data")
            .write(
                toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: DataCompError.self) { try EvaluationResultsFile(path: path) }
        #expect(error?.path == path)
        #expect(error?.position?.line == 2)
    }
}
