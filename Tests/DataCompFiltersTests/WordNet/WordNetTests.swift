import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct WordNetTests {
    /// Expected: NLTK 3.8.1's `wordnet.synsets(word)` on Debian's WordNet 3.0 (wordnet_fixtures.py)
    /// for 20,533 words: both fixtures' words, every exception-list form and inflections of
    /// index lemmas; offsets and parts of speech in NLTK's order (NLTK's `s` satellites are
    /// adjectives here).
    @Test("synsets(word) lists NLTK's offsets in NLTK's order")
    func matchesNLTK() throws {
        let object = try PoolFixtures.jsonObject("wordnet/expected.json")
        #expect(object["nltk"] as? String == "3.8.1")
        let words = try #require(object["words"] as? [String: String])
        #expect(words.count > 20_000)
        let wordnet = try WordNet()
        var mismatches: [String] = []
        for (word, expected) in words {
            let actual = wordnet.synsetOffsets(of: word).map { "\($0.partOfSpeech.rawValue)\($0.offset)" }
            let wanted = expected.split(separator: " ").map { $0.hasPrefix("s") ? "a" + $0.dropFirst() : String($0) }
            if actual != wanted { mismatches.append(word) }
            let first = wanted.first.flatMap { Int($0.dropFirst()) }
            if wordnet.firstSynsetOffset(of: word) != first { mismatches.append("first: " + word) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(8))")
        #expect(wordnet.firstSynsetOffset(of: "Dogs") == 2_084_071)
        #expect(wordnet.morphy("geese", .noun) == ["goose"])
        #expect(wordnet.firstSynsetOffset(of: "dog,") == nil)
    }

    @Test("A folder without WordNet is a fileNotFound error that says what to install")
    func missingDatabase() throws {
        let folder = try Fixtures.temporaryDirectory("wordnet")
        let error = #expect(throws: DataCompError.self) { try WordNet(directory: folder.path) }
        #expect(error?.code == .fileNotFound)
        #expect(error?.message.contains("wordnet-base") == true)
    }
}
