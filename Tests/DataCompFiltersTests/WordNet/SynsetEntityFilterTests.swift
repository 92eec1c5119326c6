import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct SynsetEntityFilterTests {
    /// Expected: DataComp's `load_uids_with_text_entity_helper` (fastText 0.9.2 + lid.176.ftz,
    /// NLTK 3.8.1 on WordNet 3.0, the ImageNet-21k id list), wordnet_fixtures.py, uid for uid.
    @Test("text_based keeps what DataComp's text-based baseline keeps")
    func textBased() async throws {
        let expected = try PoolFixtures.sampleIDs(in: "wordnet/expected.json", at: "text_based_uids")
        #expect(expected.count == 48)
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let strategy = try DataCompBaseline(name: .textBased).strategy()
        let result = try await strategy.run(on: pool, concurrency: ConcurrencyBudget(width: 2))
        #expect(Array(result.subset) == expected)
        #expect(result.report.assets.map(\.name) == ["imagenet21k_goog_synsets.txt", "lid.176.ftz"])
        #expect(result.report.assets.first?.sha256 == Asset.imageNet21kWordNetIDs.sha256)
    }

    @Test("A malformed synset list is an invalidFormat error naming the line")
    func malformedList() throws {
        let folder = try Fixtures.temporaryDirectory("synsets")
        let path = folder.appendingPathComponent("ids.txt").path
        try Data("n01440764\nn01443537\nfish\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DataCompError.self) {
            try SynsetEntityFilter(wordnet: try WordNet(), synsetListAt: path)
        }
        #expect(error?.code == .invalidFormat)
        #expect(error?.position == .line(3))
        let filter = SynsetEntityFilter(wordnet: try WordNet(), offsets: [2_084_071])
        #expect(filter.matches(words: ["two", "Dogs"]))
        #expect(!filter.matches(words: ["dogs,"]))
    }
}
