import DataCompCore

/// The caption filter of DataComp's image-based baselines (`caption_filter`).
///
/// As in `baselines/apply_filter.py`: fastText language `en`, more than one fastText token,
/// more than five characters. Unlike `basic_filter` it counts fastText's tokens of the raw caption
/// (each newline adds an end-of-sentence token) and applies no image-size rule.
public enum CaptionFilterRules {
    /// `len(fasttext.tokenize(text)) > 1`, on the raw caption.
    public static let tokenCountRule = SampleRule.caption(
        "caption has more than 1 fastText token", parameters: [("min_fasttext_tokens_exclusive", .int(1))]
    ) { texts, row in texts.withUTF8(at: row) { FastTextTokenizer.tokenCount(utf8: $0) } > 1 }

    /// The whole caption filter, cheapest rule first: characters, tokens, then fastText's language.
    public static func captionFilter(_ identifier: LanguageIdentifier) -> AllOfFilter {
        AllOfFilter([BasicFilterRules.characterCountRule, tokenCountRule, LanguageFilter(identifier, language: "en")])
    }
}
