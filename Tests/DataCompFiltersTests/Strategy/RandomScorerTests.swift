import DataCompFilters
import Testing
import _DataCompTestSupport

@Suite struct RandomScorerTests {
    @Test("A random subset has int(N × fraction) + 1 samples and depends only on the seed")
    func randomSubset() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let first = try await ScoreFilter.randomSubset(fraction: 0.25, seed: 7).run(
            on: pool, concurrency: ConcurrencyBudget(width: 1))
        let again = try await ScoreFilter.randomSubset(fraction: 0.25, seed: 7).run(
            on: pool, concurrency: ConcurrencyBudget(width: 3))
        #expect(first.subset.count == 31)
        #expect(Array(first.subset) == Array(again.subset))
        let other = try await ScoreFilter.randomSubset(fraction: 0.25, seed: 8).run(on: pool)
        #expect(Array(other.subset) != Array(first.subset))
        #expect(first.report.thresholds.first?.rank == 30)
    }

    @Test("Scores are in [0, 1), spread evenly, and a function of uid and seed")
    func scores() throws {
        let scorer = RandomScorer(seed: 42)
        var generator = SplitMix64(seed: 1)
        let uids = (0..<20_000).map { _ in SampleID(high: generator.next(), low: generator.next()) }
        let scores = uids.map(scorer.score(of:))
        #expect(scores.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = scores.reduce(0, +) / Float(scores.count)
        #expect(abs(mean - 0.5) < 0.01, "mean \(mean)")  // standard error 0.002
        let quarter = scores.filter { $0 < 0.25 }.count
        #expect(abs(quarter - 5_000) < 300, "\(quarter) below 0.25")  // about 4.9 standard deviations
        #expect(uids.map(scorer.score(of:)) == scores)
        #expect(RandomScorer(seed: 43).score(of: uids[0]) != scores[0])
    }
}
