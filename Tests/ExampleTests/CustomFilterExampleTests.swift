import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Runs the `custom-filter` example (Examples/custom-filter) on the baseline pool fixture.
///
/// A rule of one's own composed with DataComp's basic_filter and a CLIP-score cut. Expected: DataComp's
/// own basic_filter selection narrowed by the two rules with pyarrow and numpy
/// (examples/custom_filter.json, Scripts/fixtures/examples_fixtures.py), uid for uid.
@Suite struct CustomFilterExampleTests {
    @Test("Composes a face-area rule with basic_filter and a score cut, and reports each rule")
    func composesWithBaseline() throws {
        let binary = CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("custom-filter")
        let folder = try Fixtures.temporaryDirectory("custom-filter")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("small_faces.npy").path
        let run = try CommandRunner.run(executable: binary, [Fixtures.path("baselines/metadata"), output, "0.2"])
        #expect(run.status == 0, "\(run.standardError)")
        let expected = try PoolFixtures.jsonObject("examples/custom_filter.json")
        let uids = try (expected["uids"] as? [String] ?? []).map { try SampleID(hex: $0) }
        #expect(Array(try SubsetFile.read(from: output)) == uids)
        let faces = expected["faces"] as? [String: Int] ?? [:]
        let score = expected["score"] as? [String: Int] ?? [:]
        #expect(
            run.standardOutput.contains(
                "faces cover at most 0.2 of the image: kept \(faces["kept"] ?? -1) of \(faces["seen"] ?? -1)"))
        #expect(
            run.standardOutput.contains(
                "clip_l14_similarity_score at least 0.2: kept \(score["kept"] ?? -1) of \(score["seen"] ?? -1)"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("small_faces.report.json").path))
        let usage = try CommandRunner.run(executable: binary, [])
        #expect(usage.status == 2)
    }
}
