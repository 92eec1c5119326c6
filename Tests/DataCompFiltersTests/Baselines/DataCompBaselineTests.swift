import DataCompFilters
import Testing
import _DataCompTestSupport

@Suite struct DataCompBaselineTests {
    @Test("Baselines become the strategies baselines.py runs, and equal them on the pool fixture")
    func strategies() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let fraction = try DataCompBaseline(name: .clipScore, arch: .l14, fraction: 0.3).strategy()
        #expect(fraction.description == "clip_l14_similarity_score in the top 30% of the pool")
        #expect(
            Array(try await fraction.run(on: pool).subset) == (try FilterExpectations.uids("clip_l14_fraction_0.3")))
        let threshold = try DataCompBaseline(name: .clipScore, arch: .b32, threshold: 0.025).strategy()
        #expect(
            Array(try await threshold.run(on: pool).subset) == (try FilterExpectations.uids("clip_b32_threshold_0.025"))
        )
        let all = try DataCompBaseline(name: .noFilter).strategy()
        #expect(try await all.run(on: pool).subset.count == 120)
        #expect(DataCompBaseline.Name(rawValue: "clip_score") == .clipScore)
    }

    /// Expected: `load_uids_with_basic_filter_helper`'s rules with fastText 0.9.2 and lid.176.ftz
    /// (language_fixtures.py), uid for uid.
    @Test("basic_filter keeps what DataComp's rules keep and records the model in the report")
    func basicFilter() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let strategy = try DataCompBaseline(name: .basicFilter).strategy()
        let result = try await strategy.run(on: pool, concurrency: ConcurrencyBudget(width: 2))
        let expected = try LanguageExpectations.load()
        #expect(Array(result.subset) == expected.basicFilterUIDs)
        #expect(result.report.rules.last?.rule == "fastText language is en")
        let asset = try #require(result.report.assets.first)
        #expect(asset.name == "lid.176.ftz")
        #expect(asset.sha256 == Asset.fastTextLanguageID.sha256)
    }

    @Test("Invalid arguments are invalidArgument errors, as check_args raises")
    func validation() {
        let invalid = [
            DataCompBaseline(name: .clipScore, arch: .l14),
            DataCompBaseline(name: .clipScore, arch: .l14, threshold: 0.2, fraction: 0.3),
            DataCompBaseline(name: .clipScore, fraction: 0.3),
            DataCompBaseline(name: .clipScore, arch: .b32, fraction: -0.1),
            DataCompBaseline(name: .clipScore, arch: .b32, threshold: .nan),
            DataCompBaseline(name: .noFilter, threshold: 0.2),
        ]
        for baseline in invalid {
            let error = #expect(throws: DataCompError.self) { try baseline.strategy() }
            #expect(error?.code == .invalidArgument)
        }
    }
}
