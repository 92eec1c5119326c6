import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct ExactDuplicateFilterTests {
    @Test("Keeps one sample per sha256 (the smallest uid) and every sample without a hash, in any concurrency")
    func keepsOnePerHash() async throws {
        let pool = try CandidatePool(metadataDirectory: DedupExpectations.metadata)
        for width in [1, 2] {
            let filter = try await ExactDuplicateFilter.prepare(on: pool, concurrency: ConcurrencyBudget(width: width))
            let result = try await filter.run(on: pool, concurrency: ConcurrencyBudget(width: width))
            #expect(Array(result.subset) == (try DedupExpectations.uids("exact")))
            #expect(filter.duplicateCount == 120 - result.subset.count)
        }
    }

    @Test("Composes with other rules and in shares; a filter prepared on another pool is an error")
    func composesAndRefusesOtherPools() async throws {
        let pool = try CandidatePool(metadataDirectory: DedupExpectations.metadata)
        let filter = try await ExactDuplicateFilter.prepare(on: pool)
        let strategy = filter && ScoreFilter(.clipL14Score, .atLeast(0))
        let single = try await strategy.run(on: pool)
        let parts = try await [0, 1].asyncMap { try await strategy.run(share: FilterShare(index: $0, of: 2), on: pool) }
        #expect(Array(try PartialFilterResult.merge(parts).subset) == Array(single.subset))
        let other = try CandidatePool(metadataDirectory: BaselineExpectations.metadata)
        let error = await #expect(throws: DataCompError.self) { try await filter.run(on: other) }
        #expect(error?.message.contains("prepared on another pool") == true)
    }
}
