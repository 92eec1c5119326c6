import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct SemanticDuplicateFilterTests {
    @Test(
        "Keeps one sample of each group of near-duplicates per cluster, hard or easy, whatever the memory bound",
        arguments: [
            (SemanticDuplicateFilter.Keep.farthestFromCentroid, "semantic_hard_0.95", 1_000_000),
            (.closestToCentroid, "semantic_easy_0.95", 1_000_000), (.farthestFromCentroid, "semantic_hard_0.95", 7),
        ])
    func matchesReference(keep: SemanticDuplicateFilter.Keep, expected: String, maxResidentRows: Int) async throws {
        let pool = try CandidatePool(metadataDirectory: DedupExpectations.metadata)
        let centroids = try EmbeddingFile.read([Fixtures.path("dedup/centroids.npy")])
        let filter = try await SemanticDuplicateFilter.prepare(
            on: pool, centroids: centroids, threshold: 0.95, keep: keep, maxResidentRows: maxResidentRows,
            concurrency: ConcurrencyBudget(width: 2))
        let result = try await filter.run(on: pool)
        #expect(Array(result.subset) == (try DedupExpectations.uids(expected)))
        #expect(filter.duplicateCount == 120 - result.subset.count)
        #expect(result.report.parameters.contains { $0.0 == "keep" })
    }

    @Test("Centroids of another width are an error naming the file")
    func wrongWidth() async throws {
        let pool = try CandidatePool(metadataDirectory: DedupExpectations.metadata)
        let error = await #expect(throws: DataCompError.self) {
            try await SemanticDuplicateFilter.prepare(on: pool, centroids: Tensor(shape: [2, 4], repeating: 1))
        }
        #expect(error?.code == .shapeMismatch)
        #expect(error?.path?.hasSuffix(".npz") == true)
    }
}
