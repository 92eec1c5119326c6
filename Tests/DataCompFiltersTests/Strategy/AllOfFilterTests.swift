import DataCompFilters
import Testing
import _DataCompTestSupport

@Suite struct AllOfFilterTests {
    /// Expected: the non-language rules of DataComp's `basic_filter` evaluated by pandas
    /// (filters_fixtures.py): `len(text.split()) > 2`, `len(text) > 5`, `min(w, h) >= 200`,
    /// `max / min <= 3.0`.
    @Test("The caption and size rules of basic_filter keep what pandas keeps; each rule counts what it saw")
    func captionAndSizeRules() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let strategy = BasicFilterRules.captionAndSizeRules
        let result = try await strategy.run(on: pool, concurrency: ConcurrencyBudget(width: 2))
        #expect(Array(result.subset) == (try FilterExpectations.uids("caption_and_size")))
        let rules = result.report.rules
        #expect(rules.count == 5)
        #expect(rules[0].rule == strategy.description && rules[0].seen == 120 && rules[0].kept == result.subset.count)
        // Each rule sees the survivors of the rules before it.
        for index in 2..<rules.count { #expect(rules[index].seen == rules[index - 1].kept) }
        #expect(rules[1].seen == 120)
        #expect(rules.last?.kept == result.subset.count)
    }

    @Test("Intersections flatten, describe themselves and equal the set intersection")
    func composition() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let clip = ScoreFilter(.clipL14Score, .topFraction(0.5))
        let size = BasicFilterRules.minimumSideRule
        let both = clip && size && BasicFilterRules.aspectRatioRule
        #expect(both.strategies.count == 3)
        #expect(both.description.hasPrefix("(clip_l14_similarity_score in the top 50% of the pool) and (shorter side"))
        let a = Set(try await clip.run(on: pool).subset)
        let b = Set(try await size.run(on: pool).subset)
        let c = Set(try await BasicFilterRules.aspectRatioRule.run(on: pool).subset)
        let result = try await both.run(on: pool)
        #expect(Set(result.subset) == a.intersection(b).intersection(c))
        #expect(result.report.thresholds.count == 1, "the fraction is of the whole pool, not of the survivors")
    }
}
