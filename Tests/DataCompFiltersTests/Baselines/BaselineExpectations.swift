import DataCompFilters
import Foundation
import _DataCompTestSupport

/// What DataComp's own `baselines.py` / `apply_filter.py` selected on the baseline pool fixture
/// (`baselines/expected.json`, written by `Scripts/parity/baselines_parity.py` with DataComp
/// 4a8df19; fastText lid.176.ftz on both sides, fastText in place of gcld3 for laion2b, the
/// fixture's centroids and ImageNet stand-in features for the image-based variants).
enum BaselineExpectations {
    static let metadata = Fixtures.path("baselines/metadata")
    static let centroids = Fixtures.path("baselines/assets/centroids_l14.pt")
    static let reference = [0, 1].map { Fixtures.path("baselines/assets/in1k_clip_vit_l14_\($0).pt") }

    struct Variant: Sendable {
        var name: String
        var baseline: DataCompBaseline
        var uids: [SampleID]
        var npySHA256: String
    }

    static func variants() throws -> [Variant] {
        let object = try PoolFixtures.jsonObject("baselines/expected.json")
        let variants = object["variants"] as? [String: [String: Any]] ?? [:]
        return try variants.keys.sorted().map { name in
            let entry = variants[name] ?? [:]
            let arguments = entry["args"] as? [String: Any] ?? [:]
            let baselineName = try require(DataCompBaseline.Name(rawValue: arguments["name"] as? String ?? ""))
            let usesClusters = baselineName.rawValue.contains("image_based")
            return Variant(
                name: name,
                baseline: DataCompBaseline(
                    name: baselineName,
                    arch: (arguments["arch"] as? String).flatMap(DataCompBaseline.Architecture.init),
                    threshold: (arguments["threshold"] as? NSNumber).map { Float($0.doubleValue) },
                    fraction: (arguments["fraction"] as? NSNumber)?.doubleValue,
                    centroidsPath: usesClusters ? centroids : nil,
                    referenceEmbeddingPaths: usesClusters ? reference : []),
                uids: try (entry["uids"] as? [String] ?? []).map { try SampleID(hex: $0) },
                npySHA256: entry["npy_sha256"] as? String ?? "")
        }
    }
}

private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw DataCompError(.invalidArgument, "the fixture names an unknown baseline") }
    return value
}
