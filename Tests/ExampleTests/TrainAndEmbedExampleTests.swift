import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Runs the `train-and-embed` example (Examples/train-and-embed): a few training steps of mini-RN
/// on small shards, then the shards scored and written as a DataComp pool.
@Suite struct TrainAndEmbedExampleTests {
    @Test("trains a few steps, writes the checkpoint and a pool whose scores are cosines")
    func trainsAndEmbeds() throws {
        let binary = CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("train-and-embed")
        let folder = try Fixtures.temporaryDirectory("train-and-embed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let shards = try TrainingShardFixtures.write(in: folder, count: 24)
        let output = folder.appendingPathComponent("out").path
        let run = try CommandRunner.run(executable: binary, [shards, output, "2"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("step 0: loss ") && run.standardOutput.contains("step 1: loss "))
        #expect(run.standardOutput.contains("pool: 24 samples in 2 shards"))
        #expect(FileManager.default.fileExists(atPath: output + "/run/checkpoints/epoch_latest.safetensors"))
        let pool = try CandidatePool(metadataDirectory: output + "/pool")
        var scores: [Float] = []
        try pool.forEachBatch(columns: [.metadata("clip_mini_similarity_score", .float)]) { batch in
            scores += batch.floats(.metadata("clip_mini_similarity_score", .float))
        }
        #expect(scores.count == 24 && scores.allSatisfy { $0 >= -1.0001 && $0 <= 1.0001 })
        #expect(try CommandRunner.run(executable: binary, []).status == 2)
    }
}
