import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct BasicFilterTallyTests {
    @Test("Rule counts equal numpy's fractions on the pool fixture", arguments: [1, 3])
    func countsEqualNumPy(width: Int) async throws {
        // Expected: pool/expected_stats.json (pool_fixtures.py, numpy 2.4.6 and Python's len and
        // str.split() on pyarrow's strings); exact equality of the fractions.
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let parts = try await pool.mapShards(
            columns: BasicFilterTally.columns, concurrency: ConcurrencyBudget(width: width)
        ) { reader in
            var tally = BasicFilterTally()
            try reader.forEachBatch(maxRows: 7) { tally.add($0) }
            return tally
        }
        var tally = BasicFilterTally()
        for part in parts { tally.merge(part) }
        let numpy = try PoolFixtures.jsonObject("pool/expected_stats.json")
        #expect(tally.rowCount == (numpy["rows"] as? NSNumber)?.intValue)
        let rows = Double(tally.rowCount)
        let expected: [(String, Int)] = [
            ("fraction_caption_at_most_2_words", tally.failingWordCount),
            ("fraction_caption_at_most_5_characters", tally.failingCharacterCount),
            ("fraction_min_side_below_200", tally.failingMinimumSide),
            ("fraction_aspect_ratio_above_3", tally.aspectRatioAboveMaximum),
        ]
        for (key, count) in expected {
            let fraction = try #require((numpy[key] as? NSNumber)?.doubleValue, "\(key) missing")
            #expect(Double(count) / rows == fraction, "\(key)")
        }
    }
}
