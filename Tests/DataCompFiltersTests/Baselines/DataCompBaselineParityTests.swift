import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

/// Every baseline against DataComp's own code on the baseline pool fixture (six shards, 517 rows,
/// captions in many languages, fp16-quantised scores with ties at the fraction thresholds):
/// uid for uid, and the subset file byte for byte (sha256 of the .npy DataComp wrote).
@Suite struct DataCompBaselineParityTests {
    @Test(
        "Every baseline selects exactly what DataComp's apply_filter.py selects",
        arguments: try BaselineExpectations.variants())
    func matchesDataComp(variant: BaselineExpectations.Variant) async throws {
        let pool = try CandidatePool(metadataDirectory: BaselineExpectations.metadata)
        let result = try await variant.baseline.strategy().run(on: pool, concurrency: ConcurrencyBudget(width: 2))
        #expect(Array(result.subset) == variant.uids, "\(variant.name)")
        let folder = try Fixtures.temporaryDirectory("baseline-parity")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("subset.npy").path
        try result.write(to: path)
        #expect(try FileFingerprint(of: path, hashing: true).sha256 == variant.npySHA256, "\(variant.name)")
        #expect(result.report.samplesSeen == 517)
    }

    @Test("The image-based baselines accept .npy centroids and reference embeddings as well as DataComp's .pt files")
    func imageBasedFromNumPyFiles() async throws {
        let variant = try #require(try BaselineExpectations.variants().first { $0.name == "image_based" })
        let baseline = DataCompBaseline(
            name: .imageBased, centroidsPath: Fixtures.path("baselines/assets/centroids_l14.npy"),
            referenceEmbeddingPaths: [Fixtures.path("baselines/assets/in1k_clip_vit_l14.npy")])
        let pool = try CandidatePool(metadataDirectory: BaselineExpectations.metadata)
        let result = try await baseline.strategy().run(on: pool)
        #expect(Array(result.subset) == variant.uids)
        #expect(result.report.assets.map(\.name) == ["lid.176.ftz", "centroids_l14.npy", "in1k_clip_vit_l14.npy"])
        #expect(result.report.rules.map(\.rule).last?.contains("9 target clusters of 16") == true)
    }

    @Test("check_args: the image-based and laion2b flags are validated with messages that name the fix")
    func validation() throws {
        let cases: [(DataCompBaseline, String)] = [
            (DataCompBaseline(name: .imageBased), "--image-based-scale"),
            (DataCompBaseline(name: .imageBased, centroidsPath: "c.pt"), "--reference-embeddings"),
            (
                DataCompBaseline(
                    name: .imageBased, imageBasedScale: .small, centroidsPath: "c.pt", referenceEmbeddingPaths: ["r.pt"]
                ), "not both"
            ),
            (
                DataCompBaseline(name: .imageBasedIntersectClipScore, imageBasedScale: .small),
                "--fraction or --threshold"
            ),
            (DataCompBaseline(name: .imageBased, arch: .l14, imageBasedScale: .small), "--arch"),
            (DataCompBaseline(name: .clipScore, arch: .l14, fraction: 0.3, imageBasedScale: .small), "image_based"),
            (DataCompBaseline(name: .laion2b, fraction: 0.3), "laion2b does not support"),
            (DataCompBaseline(name: .laion2b, centroidsPath: "c.pt"), "laion2b does not support"),
            (DataCompBaseline(name: .basicFilter, referenceEmbeddingPaths: ["r.pt"]), "only used by image_based"),
            (DataCompBaseline(name: .clipScore, arch: .l14, fraction: 1.5), "(0, 1]"),
        ]
        for (baseline, fix) in cases {
            let error = #expect(throws: DataCompError.self) { try baseline.validate() }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains(fix) == true, "\(error?.message ?? "") should mention \(fix)")
        }
        let valid = DataCompBaseline(
            name: .imageBasedIntersectClipScore, arch: .l14, fraction: 0.3, centroidsPath: "c.pt",
            referenceEmbeddingPaths: ["r.pt"])
        #expect(throws: Never.self) { try valid.validate() }
    }

    @Test("--image-based-scale reads DataComp's cache and checks DataComp's sha256, or says where to get the files")
    func imageBasedScaleAssets() throws {
        let cache = try Fixtures.temporaryDirectory("image-assets")
        defer { try? FileManager.default.removeItem(at: cache) }
        let assets = ImageBasedAssets(scale: .small, cacheDirectory: cache.path)
        let missing = #expect(throws: DataCompError.self) { try assets.centroidsPath() }
        #expect(missing?.code == .missingAsset)
        #expect(missing?.message.contains("small_centroids_l14.pt") == true)
        try FileManager.default.copyItem(
            atPath: BaselineExpectations.centroids, toPath: cache.appendingPathComponent("small_centroids.pt").path)
        let wrong = #expect(throws: DataCompError.self) { try assets.centroidsPath() }
        #expect(wrong?.code == .checksumMismatch)
        #expect(
            ImageBasedAssets.checksums["small_centroids"]
                == "23c66a05e49ad77283c1e2b33355c7eb088ac332a944c97ff85d5dfd48a5b251")
    }

    @Test("A missing npz, centroids of another width and an empty pool are clear errors")
    func badInput() async throws {
        let folder = try Fixtures.temporaryDirectory("baseline-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let metadata = folder.appendingPathComponent("metadata").path
        try FileManager.default.copyItem(atPath: BaselineExpectations.metadata, toPath: metadata)
        let pool = try CandidatePool(metadataDirectory: metadata)
        let npz = try #require(pool.shards.dropFirst(2).first).npzPath
        try FileManager.default.removeItem(atPath: npz)
        let imageBased = try #require(try BaselineExpectations.variants().first { $0.name == "image_based" })
        let missing = await #expect(throws: DataCompError.self) {
            try await imageBased.baseline.strategy().run(on: pool)
        }
        #expect(missing?.message.contains(".npz") == true || missing?.path?.hasSuffix(".npz") == true)
        // Centroids of another width than the pool's l14_img.
        let narrow = folder.appendingPathComponent("narrow.npy").path
        try NPYArray(shape: [4, 8], scalars: [Float](repeating: 0.5, count: 32)).write(to: narrow)
        let wrongWidth = DataCompBaseline(name: .imageBased, centroidsPath: narrow, referenceEmbeddingPaths: [narrow])
        let shape = await #expect(throws: DataCompError.self) {
            try await wrongWidth.strategy().run(on: try CandidatePool(metadataDirectory: BaselineExpectations.metadata))
        }
        #expect(shape?.code == .shapeMismatch)
        #expect(shape?.path?.hasSuffix(".parquet") == true)
        // An npz with fewer rows than its parquet.
        let mismatch = await #expect(throws: DataCompError.self) {
            try await imageBased.baseline.strategy().run(
                on: try CandidatePool(metadataDirectory: PoolFixtures.mismatch))
        }
        #expect(mismatch?.code == .rowCountMismatch)
        // A malicious .pt is refused before anything runs.
        let malicious = DataCompBaseline(
            name: .imageBased, centroidsPath: Fixtures.path("torch/malicious.pt"), referenceEmbeddingPaths: [narrow])
        let refused = #expect(throws: DataCompError.self) { try malicious.strategy() }
        #expect(refused?.code == .unsupportedFormat)
        #expect(refused?.path?.hasSuffix("malicious.pt") == true)
    }
}
