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

/// `datacomp reshard` against resharder.py's recorded run on the resharder fixture
/// (resharder/expected.json, run j2_size4).
@Suite struct ReshardCommandTests {
    @Test("reshard writes resharder.py's samples, stats, sample_ids.npy and meta.json; a rerun needs --overwrite")
    func reshards() throws {
        let folder = try Fixtures.temporaryDirectory("reshard-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let arguments = [
            "reshard", "-i", Fixtures.path("resharder/shards"), "-o", output, "-s",
            Fixtures.path("resharder/subset.npy"),
            "-j", "2", "--shard-size", "4",
        ]
        let run = try CommandRunner.run(arguments)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("output 49 images"))
        #expect(run.standardError.contains("12 images in the subset were not found in the input!"))
        #expect(run.standardError.contains("wrote 13 output shards"))
        let meta = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: output + "/meta.json")))
        #expect(meta["processed_count"]?.intValue == 44)
        #expect(meta["output_shard_count"]?.intValue == 13)
        let again = try CommandRunner.run(arguments)
        #expect(again.status != 0)
        #expect(again.standardError.contains("--overwrite"))
        let overwritten = try CommandRunner.run(arguments + ["--overwrite"])
        #expect(overwritten.status == 0, "\(overwritten.standardError)")
    }
}

/// `datacomp kmeans` on the baseline pool: DataComp's clustering (caption filter, k-means with
/// faiss's semantics) writing centroids that `datacomp filter --centroids` reads.
@Suite struct KMeansCommandTests {
    @Test("kmeans writes .npy and torch.save .pt centroids that agree and feed the image-based filter")
    func clusters() throws {
        let folder = try Fixtures.temporaryDirectory("kmeans-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let npy = folder.appendingPathComponent("centroids.npy").path
        let pt = folder.appendingPathComponent("centroids.pt").path
        for path in [npy, pt] {
            let run = try CommandRunner.run([
                "kmeans", "--metadata_dir", Fixtures.path("baselines/metadata"), "--save_path", path, "--num_clusters",
                "16", "--num-workers", "2",
            ])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardError.contains("16 centroids"))
        }
        let fromNPY = try NPYArray(contentsOfFile: npy)
        let fromPT = try #require(try TorchCheckpoint(contentsOfFile: pt).root.arrayValue)
        #expect(fromNPY.shape == [16, 768])
        #expect(try fromNPY.floats() == fromPT.floats())
        let subset = folder.appendingPathComponent("image.npy").path
        let filter = try CommandRunner.run([
            "filter", "--name", "image_based", "--metadata-dir", Fixtures.path("baselines/metadata"), "--save-path",
            subset, "--centroids", pt, "--reference-embeddings",
            Fixtures.path("baselines/assets/in1k_clip_vit_l14.npy"),
        ])
        #expect(filter.status == 0, "\(filter.standardError)")
        let bad = try CommandRunner.run([
            "kmeans", "--metadata-dir", Fixtures.path("baselines/metadata"), "--save-path", npy, "--num-clusters",
            "100000",
        ])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("lower the number of clusters"))
    }
}
