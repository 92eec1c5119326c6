import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@testable import DataCompTraining

/// The training loader's sample order: seeded permutations per pass, or shards drawn with
/// replacement as OpenCLIP's `--dataset-resampled`.
@Suite struct TrainingDataLoaderTests {
    static func loader(in folder: URL, resampled: Bool, seed: UInt64) throws -> TrainingDataLoader {
        let data = try TrainingShardFixtures.write(in: folder, count: 16)
        let tokenizer = try CLIPTokenizer(vocabularyAt: try AssetResolver.commandLine().path(for: .clipVocabulary))
        return try TrainingDataLoader(
            dataDirectories: [data], preprocessor: ImagePreprocessor(size: 16), tokenizer: tokenizer, contextLength: 8,
            batchSize: 16, seed: seed, augments: false, resampled: resampled, concurrency: .serial)
    }

    /// The keys of `passes` consecutive passes (one batch of the whole sample count each).
    static func passes(_ loader: TrainingDataLoader, _ count: Int) throws -> [[String]] {
        var position = TrainingDataLoader.Position()
        return try (0..<count).map { _ in
            let (batch, next) = try loader.batch(at: position)
            position = next
            return batch.keys
        }
    }

    @Test("without resampling every pass is a permutation of all samples, different per pass, fixed by the seed")
    func permutations() throws {
        let folder = try Fixtures.temporaryDirectory("loader")
        defer { try? FileManager.default.removeItem(at: folder) }
        let loader = try Self.loader(in: folder, resampled: false, seed: 3)
        let passes = try Self.passes(loader, 3)
        for pass in passes { #expect(Set(pass).count == 16) }
        #expect(passes[0] != passes[1])
        #expect(try Self.passes(loader, 3) == passes)
    }

    @Test("resampled: passes are whole shards drawn with replacement, each shuffled; some shard repeats")
    func resampling() throws {
        let folder = try Fixtures.temporaryDirectory("loader-resampled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let loader = try Self.loader(in: folder, resampled: true, seed: 3)
        let passes = try Self.passes(loader, 8)
        // TrainingShardFixtures puts even keys in shard 0 and odd keys in shard 1 (8 each).
        var repeated = 0
        for pass in passes {
            let halves = [Array(pass.prefix(8)), Array(pass.suffix(8))]
            for half in halves {
                let parities = Set(half.map { (Int($0) ?? 0) % 2 })
                #expect(parities.count == 1, "a drawn shard contributes its own samples only: \(half)")
                #expect(Set(half).count == 8)
            }
            if Set(pass).count == 8 { repeated += 1 }
        }
        #expect(repeated > 0 && repeated < 8, "with 2 shards about half the passes draw one shard twice")
        #expect(try Self.passes(loader, 8) == passes)
    }
}
