import DataCompCore

extension BasicFilterRules {
    /// `len(text.split()) > 2`: the caption has more than two words (Python's `str.split()`).
    public static let wordCountRule = SampleRule.caption(
        "caption has more than \(maximumRejectedWordCount) words",
        parameters: [("min_words_exclusive", .int(maximumRejectedWordCount))]
    ) { texts, row in passesWordCount(texts.wordCount(at: row)) }

    /// `len(text) > 5`: the caption has more than five characters (Unicode scalars, as Python).
    public static let characterCountRule = SampleRule.caption(
        "caption has more than \(maximumRejectedCharacterCount) characters",
        parameters: [("min_characters_exclusive", .int(maximumRejectedCharacterCount))]
    ) { texts, row in passesCharacterCount(texts.unicodeScalarCount(at: row)) }

    /// `min(original_width, original_height) >= 200`.
    public static let minimumSideRule = SampleRule.originalSize(
        "shorter side at least \(minimumImageSide) pixels", parameters: [("min_side", .int(minimumImageSide))],
        passes: passesMinimumSide(width:height:))

    /// `max(w, h) / min(w, h) <= 3.0` (a zero side gives infinity or NaN, which fails).
    public static let aspectRatioRule = SampleRule.originalSize(
        "aspect ratio at most \(maximumAspectRatio)", parameters: [("max_aspect_ratio", .double(maximumAspectRatio))],
        passes: passesAspectRatio(width:height:))

    /// The caption and image-size rules of `basic_filter`, in the order they are cheapest
    /// (the language rule joins them in the baseline).
    public static var captionAndSizeRules: AllOfFilter {
        AllOfFilter([minimumSideRule, aspectRatioRule, characterCountRule, wordCountRule])
    }
}

extension SampleRule {
    /// A rule that decides each candidate from the batch's caption column.
    static func caption(
        _ name: String, parameters: [(String, JSONValue)],
        passes: @escaping @Sendable (StringColumn, Int) -> Bool
    ) -> SampleRule {
        SampleRule(name, reading: [.text], parameters: parameters) { batch, candidates in
            let texts = batch.texts
            return RowMask(count: batch.count) { candidates[$0] && passes(texts, $0) }
        }
    }

    /// A rule that decides each candidate from its original width and height.
    static func originalSize(
        _ name: String, parameters: [(String, JSONValue)],
        passes: @escaping @Sendable (_ width: Int, _ height: Int) -> Bool
    ) -> SampleRule {
        SampleRule(name, reading: [.originalWidth, .originalHeight], parameters: parameters) { batch, candidates in
            let widths = batch.originalWidths
            let heights = batch.originalHeights
            return RowMask(count: batch.count) { candidates[$0] && passes(widths[$0], heights[$0]) }
        }
    }
}
