/// The caption and image-size rules of DataComp's `basic_filter` baseline (`baselines.py`,
/// `load_uids_with_basic_filter_helper`), with Python's text semantics.
///
/// A row passes when its caption has more than 2 words (`len(text.split()) > 2`) and more than
/// 5 characters (`len(text) > 5`, characters being Unicode scalars), and the original image has
/// `min(width, height) >= 200` and `max(width, height) / min(width, height) <= 3`. The
/// baseline's third caption rule, fastText language ID `en`, is applied by the language filter.
public enum BasicFilterRules {
    /// A caption needs more words than this (`len(text.split()) > 2`).
    public static let maximumRejectedWordCount = 2
    /// A caption needs more Unicode scalars than this (`len(text) > 5`).
    public static let maximumRejectedCharacterCount = 5
    /// The shorter side of the original image must be at least this many pixels.
    public static let minimumImageSide = 200
    /// The longer side divided by the shorter one must be at most this.
    public static let maximumAspectRatio = 3.0

    /// Whether a caption passes the word-count rule.
    ///
    /// - Parameter wordCount: `len(text.split())`.
    /// - Returns: Whether the caption has more than 2 words.
    public static func passesWordCount(_ wordCount: Int) -> Bool { wordCount > maximumRejectedWordCount }

    /// Whether a caption passes the character-count rule.
    ///
    /// - Parameter characterCount: `len(text)` in Unicode scalars.
    /// - Returns: Whether the caption has more than 5 characters.
    public static func passesCharacterCount(_ characterCount: Int) -> Bool {
        characterCount > maximumRejectedCharacterCount
    }

    /// Whether an original image passes the minimum-side rule.
    ///
    /// - Parameters:
    ///   - width: `original_width`.
    ///   - height: `original_height`.
    /// - Returns: Whether the shorter side has at least 200 pixels.
    public static func passesMinimumSide(width: Int, height: Int) -> Bool { min(width, height) >= minimumImageSide }

    /// Whether an original image passes the aspect-ratio rule, with NumPy's division: a zero
    /// side gives an infinite ratio (rejected) unless both sides are zero (NaN, which compares
    /// false, so also rejected by `<= 3`).
    ///
    /// - Parameters:
    ///   - width: `original_width`.
    ///   - height: `original_height`.
    /// - Returns: Whether the aspect ratio is at most 3.
    public static func passesAspectRatio(width: Int, height: Int) -> Bool {
        let small = min(width, height)
        let large = max(width, height)
        return Double(large) / Double(small) <= maximumAspectRatio
    }
}

/// How many rows of a pool fail each of ``BasicFilterRules``' caption and size rules, each rule
/// counted on every row (a row can fail several).
///
/// Mergeable across shards.
///
/// The aspect-ratio count is of rows whose ratio is *above* 3; a 0 × 0 image (ratio NaN) is not
/// in it, though it fails the filter (through the minimum-side rule as well).
public struct BasicFilterTally: Sendable, Equatable {
    /// The columns the tally reads.
    public static let columns: Set<PoolColumn> = [.text, .originalWidth, .originalHeight]

    /// The rows counted.
    public var rowCount = 0
    /// Rows whose caption has at most 2 words.
    public var failingWordCount = 0
    /// Rows whose caption has at most 5 characters.
    public var failingCharacterCount = 0
    /// Rows whose original image has a side below 200 pixels.
    public var failingMinimumSide = 0
    /// Rows whose original image's aspect ratio is above 3 (a zero side and a non-zero one
    /// count; two zero sides do not).
    public var aspectRatioAboveMaximum = 0

    /// Creates an empty tally.
    public init() {}

    /// Counts the rows of a batch.
    ///
    /// - Parameter batch: A batch holding at least ``columns``.
    public mutating func add(_ batch: PoolBatch) {
        rowCount += batch.count
        let texts = batch.texts
        for row in 0..<texts.count {
            if !BasicFilterRules.passesWordCount(texts.wordCount(at: row)) { failingWordCount += 1 }
            if !BasicFilterRules.passesCharacterCount(texts.unicodeScalarCount(at: row)) { failingCharacterCount += 1 }
        }
        let widths = batch.originalWidths
        let heights = batch.originalHeights
        for row in 0..<batch.count {
            if !BasicFilterRules.passesMinimumSide(width: widths[row], height: heights[row]) { failingMinimumSide += 1 }
            let small = min(widths[row], heights[row])
            let large = max(widths[row], heights[row])
            if Double(large) / Double(small) > BasicFilterRules.maximumAspectRatio { aspectRatioAboveMaximum += 1 }
        }
    }

    /// Adds the counts of other rows.
    ///
    /// - Parameter other: A tally of disjoint rows.
    public mutating func merge(_ other: BasicFilterTally) {
        rowCount += other.rowCount
        failingWordCount += other.failingWordCount
        failingCharacterCount += other.failingCharacterCount
        failingMinimumSide += other.failingMinimumSide
        aspectRatioAboveMaximum += other.aspectRatioAboveMaximum
    }
}
