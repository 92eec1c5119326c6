import DataCompTraining
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp embed`: features of shards and image folders, DataComp pool shards and sidecar
/// scores, checked against the model called directly.
@Suite struct EmbedCommandTests {
    /// A mini-ViT checkpoint with OpenCLIP's initialisation.
    static func checkpoint(in folder: URL) throws -> (CLIPModel, String) {
        let configuration = try CLIPConfiguration.named("mini-ViT")
        let parameters = try CLIPParameters(initializingFor: configuration, seed: 5)
        let path = folder.appendingPathComponent("weights.safetensors").path
        try parameters.write(to: path)
        let tokenizer = try CLIPTokenizer(vocabularyAt: try AssetResolver.commandLine().path(for: .clipVocabulary))
        return (try CLIPModel(configuration: configuration, parameters: parameters, tokenizer: tokenizer), path)
    }

    @Test("--shards and --images write normalised features equal to the model's, in shard and file-name order")
    func features() async throws {
        let folder = try Fixtures.temporaryDirectory("embed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, weights) = try Self.checkpoint(in: folder)
        let data = try TrainingShardFixtures.write(in: folder, count: 10)
        let output = folder.appendingPathComponent("features.npz").path
        let run = try CommandRunner.run([
            "embed", "--model-config", "mini-ViT", "--checkpoint", weights, "--shards", data, "--output", output,
            "--batch-size", "4",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let archive = try NPZArchive(contentsOfFile: output)
        let images = try Tensor(archive.array(named: "image_features"))
        let texts = try Tensor(archive.array(named: "text_features"))
        #expect(images.shape == [10, model.embeddingDimension] && texts.shape == images.shape)

        // Shard order: 00000000.tar holds samples 0, 2, 4, …; 00000001.tar 1, 3, 5, ….
        var expectedImages: [MemberBytes] = []
        var expectedCaptions: [String] = []
        for shard in ["00000000.tar", "00000001.tar"] {
            var reader = try WebDatasetShardReader(path: data + "/" + shard)
            while let sample = try reader.next() {
                expectedImages.append(sample["jpg"] ?? [])
                expectedCaptions.append(String(decoding: sample["txt"] ?? [], as: UTF8.self))
            }
        }
        let direct = try model.encodeImages(decoding: expectedImages, concurrency: .serial).rowNormalized()
        let directTexts = try model.encodeTexts(expectedCaptions).rowNormalized()
        #expect(zip(images.scalars, direct.scalars).allSatisfy { abs($0 - $1) <= 1e-5 })
        #expect(zip(texts.scalars, directTexts.scalars).allSatisfy { abs($0 - $1) <= 1e-5 })

        // An image folder in sorted name order, and --texts lines.
        let pictures = folder.appendingPathComponent("pictures")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        for (index, name) in ["b.jpg", "a.jpg"].enumerated() {
            try Data(expectedImages[index]).write(to: pictures.appendingPathComponent(name))
        }
        try "a red square\na blue square\n".write(
            to: folder.appendingPathComponent("texts.txt"), atomically: true, encoding: .utf8)
        let second = folder.appendingPathComponent("folder.npz").path
        let byFolder = try CommandRunner.run([
            "embed", "--model-config", "mini-ViT", "--checkpoint", weights, "--images", pictures.path, "--texts",
            folder.appendingPathComponent("texts.txt").path, "--output", second,
        ])
        #expect(byFolder.status == 0, "\(byFolder.standardError)")
        let folderArchive = try NPZArchive(contentsOfFile: second)
        let folderImages = try Tensor(folderArchive.array(named: "image_features"))
        let dimension = model.embeddingDimension
        // a.jpg (= sample 1's image) comes first.
        #expect(
            zip(folderImages.scalars.prefix(dimension), direct.scalars[dimension..<(2 * dimension)]).allSatisfy {
                abs($0 - $1) <= 1e-5
            })
        #expect(try folderArchive.array(named: "text_features").shape == [2, dimension])
    }

    @Test(
        "--pool-output writes a pool the filters read; --sidecar-for scores an existing pool, null where not downloaded"
    )
    func poolAndSidecar() async throws {
        let folder = try Fixtures.temporaryDirectory("embed-pool")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, weights) = try Self.checkpoint(in: folder)
        let data = try TrainingShardFixtures.write(in: folder, count: 12)
        let pool = folder.appendingPathComponent("pool").path
        let run = try CommandRunner.run([
            "embed", "--model-config", "mini-ViT", "--checkpoint", weights, "--shards", data, "--pool-output", pool,
            "--feature-key", "mine",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let candidates = try CandidatePool(metadataDirectory: pool)
        #expect(try candidates.validate() == 12)
        var scores: [Float] = []
        var imageRows: [Float] = []
        var textRows: [Float] = []
        try candidates.forEachBatch(columns: [.uid, .metadata("clip_mine_similarity_score", .float)]) { batch in
            scores += batch.floats(.metadata("clip_mine_similarity_score", .float))
        }
        for shard in candidates.shards {
            let archive = try NPZArchive(contentsOfFile: shard.npzPath)
            #expect(try archive.array(named: "mine_img").dataType == .float16)
            imageRows += try archive.array(named: "mine_img").floats()
            textRows += try archive.array(named: "mine_txt").floats()
        }
        // The score is the cosine of the (float32) features; the float16 copies agree to ~1e-3.
        let dimension = imageRows.count / 12
        for row in 0..<12 {
            let dot = (0..<dimension).reduce(Float(0)) {
                $0 + imageRows[row * dimension + $1] * textRows[row * dimension + $1]
            }
            #expect(abs(dot - scores[row]) < 5e-3)
        }

        // Score the pool from the first shard only: the second shard's rows are null.
        let onlyFirst = folder.appendingPathComponent("first")
        try FileManager.default.createDirectory(at: onlyFirst, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: data + "/00000000.tar", toPath: onlyFirst.appendingPathComponent("00000000.tar").path)
        let sidecars = folder.appendingPathComponent("sidecars").path
        let side = try CommandRunner.run([
            "embed", "--model-config", "mini-ViT", "--checkpoint", weights, "--shards", onlyFirst.path,
            "--sidecar-for", pool, "--sidecar-output", sidecars, "--score-name", "teacher",
        ])
        #expect(side.status == 0, "\(side.standardError)")
        #expect(side.standardOutput.contains("6 pool rows scored, 6 not downloaded"))
        var sidecarScores: [Float] = []
        var valid: [Bool] = []
        try candidates.forEachBatch(columns: [.uid, .sidecar("teacher", in: sidecars)]) { batch in
            sidecarScores += batch.floats(.sidecar("teacher", in: sidecars))
            let mask = batch.validity(of: .sidecar("teacher", in: sidecars))
            valid += (0..<batch.count).map { mask?[$0] ?? true }
        }
        #expect(valid == Array(repeating: true, count: 6) + Array(repeating: false, count: 6))
        #expect(zip(sidecarScores.prefix(6), scores.prefix(6)).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test("bad arguments and a missing image folder are refused with a message")
    func refusals() throws {
        let both = try CommandRunner.run([
            "embed", "--model-config", "mini-ViT", "--checkpoint", "x.safetensors", "--shards", "a", "--images", "b",
            "--output", "o.npz",
        ])
        #expect(both.status != 0)
        #expect(both.standardError.contains("exactly one of --shards and --images"))
        let folder = try Fixtures.temporaryDirectory("embed-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, weights) = try Self.checkpoint(in: folder)
        let missing = try CommandRunner.run([
            "embed", "--model-config", "mini-ViT", "--checkpoint", weights, "--images", "/nonexistent/pictures",
            "--output", folder.appendingPathComponent("o.npz").path,
        ])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("/nonexistent/pictures"))
    }
}
