import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp filter` with the image-based and distributed flags, and `datacomp merge-subsets`,
/// against DataComp's own selections on the baseline pool fixture (baselines/expected.json).
@Suite struct DistributedFilterCommandTests {
    static let metadata = Fixtures.path("baselines/metadata")

    static func expected(_ variant: String) throws -> [SampleID] {
        try PoolFixtures.sampleIDs(in: "baselines/expected.json", at: "variants", variant, "uids")
    }

    @Test("image_based_intersect_clip_score from DataComp's .pt assets, in 3 shares merged, equals DataComp's subset")
    func sharesAndMerge() throws {
        let folder = try Fixtures.temporaryDirectory("filter-shares")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = [
            "--name", "image_based_intersect_clip_score", "--metadata_dir", Self.metadata, "--arch", "l14",
            "--fraction", "0.3", "--centroids", Fixtures.path("baselines/assets/centroids_l14.pt"),
            "--reference-embeddings", Fixtures.path("baselines/assets/in1k_clip_vit_l14_0.pt"),
            "--reference_embeddings", Fixtures.path("baselines/assets/in1k_clip_vit_l14_1.pt"), "--num-gpus", "1",
            "--batch_size", "512",
        ]
        var parts: [String] = []
        for index in 0..<3 {
            let part = folder.appendingPathComponent("parts/part-\(index)").path
            let run = try CommandRunner.run(
                ["filter"] + arguments + ["--shard-index", "\(index)", "--num_shards", "3", "--save-path", part])
            #expect(run.status == 0, "\(run.standardError)")
            parts.append(part)
        }
        let output = folder.appendingPathComponent("merged/subset.npy").path
        let merged = try CommandRunner.run(["merge-subsets", "--save-path", output] + parts.reversed())
        #expect(merged.status == 0, "\(merged.standardError)")
        #expect(
            Array(try SubsetFile.read(from: output))
                == (try Self.expected("image_based_intersect_clip_score_l14_fraction_0.3")))
        let single = folder.appendingPathComponent("single.npy").path
        let run = try CommandRunner.run(["filter"] + arguments + ["--save-path", single])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Fixtures.bytes(atPath: single) == (try Fixtures.bytes(atPath: output)))
        let missing = try CommandRunner.run(["merge-subsets", "--save-path", output] + parts.dropLast())
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("missing"))
    }

    @Test("Argument errors say the fix, as check_args: image flags, shares, --save-path of a share")
    func argumentErrors() throws {
        let folder = try Fixtures.temporaryDirectory("filter-args")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("x.npy").path
        let cases: [([String], String)] = [
            (["--name", "image_based"], "--image-based-scale"),
            (["--name", "laion2b", "--arch", "b32"], "laion2b does not support"),
            (["--name", "image_based", "--image-based-scale", "huge"], "small, medium, large or xlarge"),
            (["--name", "no_filter", "--shard-index", "3", "--num-shards", "3"], "0..<--num-shards"),
            (["--name", "no_filter", "--shard-index", "0"], "go together"),
            (["--name", "no_filter", "--shard-index", "0", "--num-shards", "2"], "not a .npy"),
        ]
        for (arguments, fix) in cases {
            let run = try CommandRunner.run(
                ["filter", "--metadata-dir", Self.metadata, "--save-path", out] + arguments)
            #expect(run.status != 0)
            #expect(run.standardError.contains(fix), "\(arguments): \(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: out), "no subset file is written on an error")
    }
}
