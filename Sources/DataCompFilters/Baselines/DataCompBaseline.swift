import DataCompCore

/// DataComp's baseline filters by their `baselines.py --name` (`datacomp.md` §3), with the
/// arguments they take, validated as `check_args` validates them.
///
/// ```swift
/// import DataCompFilters
///
/// let baseline = DataCompBaseline(name: .clipScore, arch: .l14, fraction: 0.3)
/// let strategy = try baseline.strategy()
/// print(strategy)  // clip_l14_similarity_score in the top 30% of the pool
/// ```
///
/// This release has `no_filter`, `basic_filter`, `text_based` and `clip_score`; the baselines
/// that need centroids or gcld3 come with them.
public struct DataCompBaseline: Sendable, Hashable {
    /// A baseline's name, as `baselines.py --name` spells it.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        /// Every uid of the pool.
        case noFilter = "no_filter"
        /// English captions (fastText) of more than 2 words and 5 characters, images with a
        /// shorter side of at least 200 pixels and an aspect ratio of at most 3.
        case basicFilter = "basic_filter"
        /// English captions (fastText) with a word whose first WordNet synset is an ImageNet-21k
        /// synset.
        case textBased = "text_based"
        /// CLIP score at least a threshold, or the top fraction of the pool by CLIP score.
        case clipScore = "clip_score"
    }

    /// The OpenAI CLIP whose similarity scores `clip_score` ranks by (`--arch`).
    public enum Architecture: String, Sendable, Hashable, CaseIterable {
        /// ViT-B/32: `clip_b32_similarity_score`.
        case b32
        /// ViT-L/14: `clip_l14_similarity_score`.
        case l14

        /// The pool column of this model's scores.
        public var scoreColumn: PoolColumn { self == .b32 ? .clipB32Score : .clipL14Score }
    }

    /// Which baseline.
    public var name: Name
    /// `--arch`: the CLIP score used (CLIP-score baselines only).
    public var arch: Architecture?
    /// `--threshold`: keep scores at least this (CLIP-score baselines only).
    public var threshold: Float?
    /// `--fraction`: keep this top fraction of the pool by score (CLIP-score baselines only).
    public var fraction: Double?

    /// A baseline with its arguments (not validated until ``validate()`` or ``strategy(resolver:)``).
    public init(name: Name, arch: Architecture? = nil, threshold: Float? = nil, fraction: Double? = nil) {
        self.name = name
        self.arch = arch
        self.threshold = threshold
        self.fraction = fraction
    }

    /// Checks the arguments as DataComp's `check_args` does, plus the fraction's range.
    ///
    /// - Throws: `DataCompError` with code `invalidArgument` and a message that names the fix.
    public func validate() throws {
        func fail(_ message: String) -> DataCompError { DataCompError(.invalidArgument, message) }
        let isClipScore = name.rawValue.contains("clip_score")
        if isClipScore {
            if fraction == nil && threshold == nil {
                throw fail("--fraction or --threshold must be specified for clip_score baselines")
            }
            if fraction != nil && threshold != nil {
                throw fail("specify either --fraction or --threshold for clip_score baselines but not both")
            }
            if arch == nil {
                throw fail("specify the architecture (--arch b32 or --arch l14) for clip_score baselines")
            }
        } else {
            if fraction != nil {
                throw fail("--fraction is only used by clip_score baselines; drop it for \(name.rawValue)")
            }
            if threshold != nil {
                throw fail("--threshold is only used by clip_score baselines; drop it for \(name.rawValue)")
            }
            if arch != nil { throw fail("--arch is only used by clip_score baselines; drop it for \(name.rawValue)") }
        }
        if let fraction, !(fraction > 0 && fraction <= 1) {
            throw fail("--fraction must be in (0, 1] (the share of the pool to keep), not \(fraction)")
        }
        if let threshold, threshold.isNaN { throw fail("--threshold must be a number, not nan") }
    }

    /// The baseline as a strategy, with the models it needs resolved by `resolver` (fastText's
    /// `lid.176.ftz`, the ImageNet-21k synset list) and WordNet read from
    /// ``WordNet/defaultDirectory``.
    ///
    /// - Throws: `DataCompError` with code `invalidArgument` if the arguments are invalid, or
    ///   if a model cannot be resolved or loaded.
    public func strategy(resolver: AssetResolver = AssetResolver()) throws -> any FilterStrategy {
        try validate()
        switch name {
        case .noFilter:
            return KeepAllFilter()
        case .basicFilter:
            // The same rules as load_uids_with_basic_filter_helper, cheapest first; the language
            // model sees only captions the other rules kept.
            let english = LanguageFilter(try LanguageIdentifier(resolver: resolver), language: "en")
            return BasicFilterRules.captionAndSizeRules && english
        case .textBased:
            // load_uids_with_text_entity_helper: English and a word naming an ImageNet-21k synset.
            let entities = try SynsetEntityFilter(wordnet: try WordNet(), resolver: resolver)
            return entities && LanguageFilter(try LanguageIdentifier(resolver: resolver), language: "en")
        case .clipScore:
            guard let column = arch?.scoreColumn else { preconditionFailure("validated above") }
            if let fraction { return ScoreFilter(column, .topFraction(fraction)) }
            return ScoreFilter(column, .atLeast(threshold ?? 0))
        }
    }
}
