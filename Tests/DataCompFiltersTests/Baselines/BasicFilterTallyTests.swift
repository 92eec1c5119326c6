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

@Suite struct BasicFilterRulesTests {
    @Test(
        "Size rules follow baselines.py with NumPy's division",
        arguments: [
            // (width, height, min side >= 200, max/min <= 3) as pandas/numpy evaluate them.
            (200, 200, true, true), (199, 597, false, true), (600, 200, true, true), (601, 200, true, false),
            (200, 601, true, false),
            (0, 0, false, false), (0, 500, false, false), (1000, 334, true, true), (1000, 333, true, false),
        ])
    func sizeRules(width: Int, height: Int, minimumSide: Bool, aspect: Bool) {
        #expect(BasicFilterRules.passesMinimumSide(width: width, height: height) == minimumSide)
        #expect(BasicFilterRules.passesAspectRatio(width: width, height: height) == aspect)
    }

    @Test("Caption rules count Python characters and words")
    func captionRules() {
        // len("e\u0301 a b") == 6 in Python (5 graphemes in Swift); "x\u3000y z" splits into 3 words.
        let captions = StringColumn(["e\u{301} a b", "x\u{3000}y z", "two words", "tiny"])
        #expect(captions.map { _ in 0 }.count == 4)
        #expect(BasicFilterRules.passesCharacterCount(captions.unicodeScalarCount(at: 0)))
        #expect(captions[0].count == 5)
        #expect(BasicFilterRules.passesWordCount(captions.wordCount(at: 1)))
        #expect(!BasicFilterRules.passesWordCount(captions.wordCount(at: 2)))
        #expect(!BasicFilterRules.passesCharacterCount(captions.unicodeScalarCount(at: 3)))
    }
}
