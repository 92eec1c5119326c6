import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct ScoreFilterTests {
    /// Expected: DataComp's `clip_score` baseline as pandas computes it (filters_fixtures.py):
    /// threshold `-np.sort(-scores)[int(120 * 0.3)]` over the three shards, then `>=`.
    @Test("A top fraction keeps what get_threshold keeps, at any width", arguments: [1, 2, 3])
    func topFractionMatchesDataComp(width: Int) async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let strategy = ScoreFilter(.clipL14Score, .topFraction(0.3))
        let result = try await strategy.run(on: pool, concurrency: ConcurrencyBudget(width: width))
        #expect(Array(result.subset) == (try FilterExpectations.uids("clip_l14_fraction_0.3")))
        let entry = try FilterExpectations.entry("clip_l14_fraction_0.3")
        let threshold = try #require(result.report.thresholds.first)
        #expect(result.report.thresholds.count == 1)
        #expect(threshold.value.bitPattern == (entry["threshold_bits"] as? NSNumber)?.uint32Value)
        #expect(threshold.rank == 36 && threshold.scoreCount == 120 && threshold.fraction == 0.3)
        #expect(result.report.samplesSeen == 120 && result.report.samplesKept == result.subset.count)
        #expect(result.report.rules.map(\.rule) == ["clip_l14_similarity_score in the top 30% of the pool"])
    }

    /// Expected: `df[df["clip_b32_similarity_score"] >= 0.025]` (a float32 comparison in numpy).
    @Test("An absolute threshold keeps score >= threshold, compared in Float")
    func absoluteThreshold() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let result = try await ScoreFilter(.clipB32Score, .atLeast(0.025)).run(on: pool)
        #expect(Array(result.subset) == (try FilterExpectations.uids("clip_b32_threshold_0.025")))
        #expect(result.report.thresholds.isEmpty)
        #expect(result.report.rules.first?.seen == 120)
        #expect(result.report.rules.first?.kept == 31)
    }

    @Test("Missing values score NaN and are never kept; a closure scorer must return one score per row")
    func missingValuesAndScorerErrors() async throws {
        let scorer = ClosureScorer("half missing", reading: [.clipL14Score]) { batch in
            batch.clipL14Scores.enumerated().map { $0.offset.isMultiple(of: 2) ? .nan : $0.element }
        }
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let all = try await ScoreFilter(scorer, .atLeast(-.infinity)).run(on: pool)
        #expect(all.subset.count == 60)
        // 60 scores are NaN and rank last, as in numpy's sort: the 91st largest is NaN, so
        // nothing is kept (numpy: `scores >= nan` is all false); the 31st largest is a number.
        let beyond = try await ScoreFilter(scorer, .topFraction(0.75)).run(on: pool)
        #expect(beyond.subset.isEmpty && beyond.report.thresholds.first?.value.isNaN == true)
        let top = try await ScoreFilter(scorer, .topFraction(0.25)).run(on: pool)
        #expect(top.report.thresholds.first?.rank == 30)
        #expect(top.subset.count >= 31 && top.subset.count < 60)
        let broken = ClosureScorer("short", reading: []) { _ in [1] }
        let error = await #expect(throws: DataCompError.self) {
            try await ScoreFilter(broken, .atLeast(0)).run(on: pool)
        }
        #expect(error?.code == .rowCountMismatch)
        #expect(error?.message.contains("one score per row") == true)
    }
}
