import DataCompFilters
import Foundation
import _DataCompTestSupport

/// The expectations of `Scripts/fixtures/language_fixtures.py` (fastText 0.9.2's Python binding,
/// fasttext-wheel, with lid.176.ftz): `language/expected.json`.
struct LanguageExpectations {
    var texts: [String]
    var languages: [String]
    var top2: [([String], [Float])]
    var tokens: [Int]
    var basicFilterUIDs: [SampleID]

    static func load() throws -> LanguageExpectations {
        let object = try PoolFixtures.jsonObject("language/expected.json")
        let captions = (try PoolFixtures.jsonObject("tokenizer/captions.json")["cases"] as? [[String: Any]] ?? [])
            .map { $0["text"] as? String ?? "" }
        var pool: [String] = []
        try CandidatePool(metadataDirectory: PoolFixtures.metadata).forEachBatch(columns: [.text]) { batch in
            pool += Array(batch.texts)
        }
        let edge = object["edge_cases"] as? [String] ?? []
        let top2 = (object["top2"] as? [[Any]] ?? []).map { entry in
            ((entry.first as? [String]) ?? [], ((entry.last as? [NSNumber]) ?? []).map(\.floatValue))
        }
        return LanguageExpectations(
            texts: captions + pool + edge, languages: object["language"] as? [String] ?? [], top2: top2,
            tokens: (object["tokens"] as? [NSNumber] ?? []).map(\.intValue),
            basicFilterUIDs: try PoolFixtures.sampleIDs(in: "language/expected.json", at: "basic_filter_uids"))
    }

    /// lid.176.ftz from the cache (the test command fetches it; `DATACOMP_FASTTEXT_LID` overrides).
    static func identifier() throws -> LanguageIdentifier {
        try LanguageIdentifier(resolver: AssetResolver())
    }
}
