import DataCompFilters
import Testing
import _DataCompTestSupport

@Suite struct CaptionFilterRulesTests {
    /// Expected: `caption_filter`'s mask built from fastText 0.9.2's labels and
    /// `fasttext.tokenize` counts of the pool texts (language/expected.json) and Python's `len`
    /// (Unicode scalars).
    @Test("The image-based caption filter keeps English captions of more than 1 token and 5 characters")
    func matchesCaptionFilter() async throws {
        let expected = try LanguageExpectations.load()
        let object = try PoolFixtures.jsonObject("language/expected.json")
        let start = (object["tokenizer_captions"] as? Int) ?? -1
        let count = (object["pool_texts"] as? Int) ?? -1
        #expect(count == 120)
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        var uids: [SampleID] = []
        try pool.forEachBatch(columns: [.uid]) { uids += $0.uids }
        var kept: [SampleID] = []
        for row in 0..<count {
            let index = start + row
            let text = expected.texts[index]
            if expected.languages[index] == "en" && expected.tokens[index] > 1 && text.unicodeScalars.count > 5 {
                kept.append(uids[row])
            }
        }
        #expect(kept.count > 10 && kept.count < 110, "the fixture exercises both outcomes")
        let strategy = CaptionFilterRules.captionFilter(try LanguageExpectations.identifier())
        let result = try await strategy.run(on: pool)
        #expect(Array(result.subset) == kept.sorted())
        #expect(result.report.rules.map(\.rule).last == "fastText language is en")
    }
}
