import DataCompFilters
import Testing

@Suite struct FastTextTokenizerTests {
    /// Expected: `len(fasttext.tokenize(text))` (fastText 0.9.2, language_fixtures.py) on the raw
    /// texts, newlines kept: each newline adds `</s>`.
    @Test("Token counts equal len(fasttext.tokenize(text))")
    func matchesFastText() throws {
        let expected = try LanguageExpectations.load()
        #expect(expected.tokens.count == expected.texts.count)
        for (index, text) in expected.texts.enumerated() {
            #expect(FastTextTokenizer.tokenCount(utf8: text.utf8) == expected.tokens[index], "#\(index)")
            #expect(FastTextTokenizer.tokens(of: text).count == expected.tokens[index])
        }
        #expect(FastTextTokenizer.tokens(of: "a b\nc\n") == ["a", "b", "</s>", "c", "</s>"])
    }
}
