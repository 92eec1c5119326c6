import DataCompCore

extension BasicFilterRules {
    /// `len(text.split()) > 2`: the caption has more than two words (Python's `str.split()`).
    public static let wordCountRule = SampleRule(
        "caption has more than \(maximumRejectedWordCount) words", reading: [.text],
        parameters: [("min_words_exclusive", .int(maximumRejectedWordCount))]
    ) { batch, candidates in
        let texts = batch.texts
        return RowMask(count: batch.count) { candidates[$0] && passesWordCount(texts.wordCount(at: $0)) }
    }

    /// `len(text) > 5`: the caption has more than five characters (Unicode scalars, as Python).
    public static let characterCountRule = SampleRule(
        "caption has more than \(maximumRejectedCharacterCount) characters", reading: [.text],
        parameters: [("min_characters_exclusive", .int(maximumRejectedCharacterCount))]
    ) { batch, candidates in
        let texts = batch.texts
        return RowMask(count: batch.count) {
            candidates[$0] && passesCharacterCount(texts.unicodeScalarCount(at: $0))
        }
    }

    /// `min(original_width, original_height) >= 200`.
    public static let minimumSideRule = SampleRule(
        "shorter side at least \(minimumImageSide) pixels", reading: [.originalWidth, .originalHeight],
        parameters: [("min_side", .int(minimumImageSide))]
    ) { batch, candidates in
        let widths = batch.originalWidths
        let heights = batch.originalHeights
        return RowMask(count: batch.count) {
            candidates[$0] && passesMinimumSide(width: widths[$0], height: heights[$0])
        }
    }

    /// `max(w, h) / min(w, h) <= 3.0` (a zero side gives infinity or NaN, which fails).
    public static let aspectRatioRule = SampleRule(
        "aspect ratio at most \(maximumAspectRatio)", reading: [.originalWidth, .originalHeight],
        parameters: [("max_aspect_ratio", .double(maximumAspectRatio))]
    ) { batch, candidates in
        let widths = batch.originalWidths
        let heights = batch.originalHeights
        return RowMask(count: batch.count) {
            candidates[$0] && passesAspectRatio(width: widths[$0], height: heights[$0])
        }
    }

    /// The caption and image-size rules of `basic_filter`, in the order they are cheapest
    /// (the language rule joins them in the baseline).
    public static var captionAndSizeRules: AllOfFilter {
        AllOfFilter([minimumSideRule, aspectRatioRule, characterCountRule, wordCountRule])
    }
}
