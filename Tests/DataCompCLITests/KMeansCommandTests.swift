import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

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
