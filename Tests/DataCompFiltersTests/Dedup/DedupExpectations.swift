import DataCompFilters
import _DataCompTestSupport

/// What each de-duplication rule keeps on the dedup pool fixture, computed with numpy from the
/// rules' definitions (Scripts/fixtures/dedup_fixtures.py, dedup/expected.json).
enum DedupExpectations {
    static let metadata = Fixtures.path("dedup/metadata")

    static func uids(_ rule: String) throws -> [SampleID] {
        try PoolFixtures.sampleIDs(in: "dedup/expected.json", at: rule)
    }
}
