import DataCompFilters
import Testing
import _DataCompTestSupport

@Suite struct AnyOfFilterTests {
    @Test("Unions and complements equal the set operations; later rules see only the undecided")
    func unionAndComplement() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let clip = ScoreFilter(.clipB32Score, .atLeast(0.025))
        let size = BasicFilterRules.minimumSideRule
        let everything = Set(try await KeepAllFilter().run(on: pool).subset)
        #expect(everything.count == 120)
        let a = Set(try await clip.run(on: pool).subset)
        let b = Set(try await size.run(on: pool).subset)
        let either = try await (clip || size).run(on: pool)
        #expect(Set(either.subset) == a.union(b))
        let rules = either.report.rules
        #expect(rules.map(\.seen) == [120, 120, 120 - a.count])
        let neither = try await (!(clip || size)).run(on: pool)
        #expect(Set(neither.subset) == everything.subtracting(a.union(b)))
        #expect(neither.subset.count + either.subset.count == 120)
        #expect(AnyOfFilter([]).description == "keep none")
        #expect(try await AnyOfFilter([]).run(on: pool).subset.isEmpty)
    }
}
