import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct EvaluationDuplicateFilterTests {
    @Test("Drops the samples within the cosine threshold of an evaluation embedding")
    func dropsCopiesOfEvaluationImages() async throws {
        let pool = try CandidatePool(metadataDirectory: DedupExpectations.metadata)
        let evaluation = try EmbeddingFile.read([Fixtures.path("dedup/eval.npy")])
        let filter = EvaluationDuplicateFilter(evaluationEmbeddings: evaluation, threshold: 0.9)
        let result = try await filter.run(on: pool)
        #expect(Array(result.subset) == (try DedupExpectations.uids("evaluation_0.9")))
        #expect(result.report.rules.first?.dropped == 1)
    }
}
