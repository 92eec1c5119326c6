import DataCompCore
import Foundation

/// DataComp's image-based baseline assets for one scale, found where DataComp's own
/// `baselines/utils.py` caches them: `<cache>/<scale>_centroids.pt` and
/// `<cache>/in1k_clip_vit_l14_<i>.pt` (`~/.cache/datacomp` by default, the same folder this
/// package's `AssetResolver` uses), each checked against DataComp's SHA-256.
///
/// These files are published on GitHub (`sagadre/datacomp_baseline_assets`, release
/// `v0.1.0-alpha`), not on PyPI, so they are never fetched here: copy them into the cache (or run
/// DataComp's baselines once), or pass the files themselves to the baseline.
public struct ImageBasedAssets: Sendable, Hashable {
    /// A DataComp pool scale with published centroids.
    public enum Scale: String, Sendable, Hashable, CaseIterable {
        /// The 12.8M-sample pool.
        case small
        /// The 128M-sample pool.
        case medium
        /// The 1.28B-sample pool.
        case large
        /// The 12.8B-sample pool.
        case xlarge
    }

    /// The scale.
    public var scale: Scale
    /// The folder searched.
    public var cacheDirectory: String

    /// The assets of `scale` in `cacheDirectory`.
    public init(scale: Scale, cacheDirectory: String) {
        self.scale = scale
        self.cacheDirectory = cacheDirectory
    }

    /// The SHA-256 of every asset, from DataComp's `baselines/utils.py`.
    public static let checksums: [String: String] = [
        "in1k_clip_vit_l14_0": "304990fd492f40ba90072b80af78d6e8edcab9d042476ef513e03441cf53743b",
        "in1k_clip_vit_l14_1": "72f008e6aa3bfb54174fa322963215337f843fc90fd642a9dccc815dd9e7ee76",
        "in1k_clip_vit_l14_2": "83c3cc6503b8a50a22cac7023ca6cd61b130ab9725db2a7519f1bec5cabf5493",
        "in1k_clip_vit_l14_3": "83faa289f847799ddcd438e5b74df1cb5973c345674896d10ba31ea48bc63804",
        "in1k_clip_vit_l14_4": "067a45f4a140a93371876510a2fd9198a89ac1d194ae4063a51b45a6da69cadf",
        "small_centroids": "23c66a05e49ad77283c1e2b33355c7eb088ac332a944c97ff85d5dfd48a5b251",
        "medium_centroids": "028b1721b1d0f139c565b6b0ac99f8a1756f4bae89c36b0ec6d1c6ea9b6f112d",
        "large_centroids": "04eeab1069d3540c246cf7ce69323147351a474017fc472e4c50a018ca32240b",
        "xlarge_centroids": "3f62e5f8ae3a715ce84e422846fcfce1536d184455ea234790c4a6465c4c6726",
    ]

    /// The verified centroid file of the scale.
    ///
    /// - Throws: `DataCompError` with code `missingAsset` (saying where to get it) or
    ///   `checksumMismatch`.
    public func centroidsPath() throws -> String {
        try verified("\(scale.rawValue)_centroids", published: "\(scale.rawValue)_centroids_l14.pt")
    }

    /// The five verified ImageNet-1k L/14 feature files.
    ///
    /// - Throws: `DataCompError` with code `missingAsset` or `checksumMismatch`.
    public func referenceEmbeddingPaths() throws -> [String] {
        try (0..<5).map { try verified("in1k_clip_vit_l14_\($0)", published: "in1k_clip_vit_l14_\($0).pt") }
    }

    private func verified(_ name: String, published: String) throws -> String {
        let path = (cacheDirectory as NSString).appendingPathComponent("\(name).pt")
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataCompError(
                .missingAsset,
                "DataComp's \(published) is not in the cache; download https://github.com/sagadre/datacomp_baseline_assets/releases/download/v0.1.0-alpha/\(published) to \(path), or pass --centroids and --reference-embeddings with your own files",
                path: path)
        }
        let digest = try FileFingerprint(of: path, hashing: true).sha256 ?? ""
        guard let expected = Self.checksums[name], digest == expected else {
            throw DataCompError(
                .checksumMismatch,
                "has sha256 \(digest), but DataComp's \(published) has \(Self.checksums[name] ?? "?"); download it again",
                path: path)
        }
        return path
    }
}
