import DataCompFilters
import Foundation
import _DataCompTestSupport

/// The expectations of `Scripts/fixtures/filters_fixtures.py` (pandas 3.1.1 and numpy 2.4.6 with
/// the expressions of DataComp's `baselines/apply_filter.py`): `filters/expected.json`.
enum FilterExpectations {
    static func object() throws -> [String: Any] { try PoolFixtures.jsonObject("filters/expected.json") }

    /// The sorted uids a rule keeps on the pool fixture.
    static func uids(_ name: String) throws -> [SampleID] {
        try PoolFixtures.sampleIDs(in: "filters/expected.json", at: "pool", name, "uids")
    }

    static func entry(_ name: String) throws -> [String: Any] {
        (try object()["pool"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    struct ThresholdCase {
        var scores: [Float]
        var fraction: Double
        var threshold: Float
        var kept: Int
    }

    static func thresholdCases() throws -> [ThresholdCase] {
        (try object()["thresholds"] as? [[String: Any]] ?? []).map { entry in
            ThresholdCase(
                scores: (entry["scores_bits"] as? [NSNumber] ?? []).map { Float(bitPattern: $0.uint32Value) },
                fraction: (entry["fraction"] as? NSNumber)?.doubleValue ?? -1,
                threshold: Float(bitPattern: (entry["threshold_bits"] as? NSNumber)?.uint32Value ?? 0),
                kept: (entry["kept"] as? NSNumber)?.intValue ?? -1)
        }
    }
}
