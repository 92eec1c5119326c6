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
/// The image-based baselines take their centroids and reference embeddings from files
/// (``centroidsPath`` and ``referenceEmbeddingPaths``: `torch.save` files as DataComp
/// distributes them, `.npy` or `.npz`), or from DataComp's own asset cache by scale
/// (``imageBasedScale``). `laion2b` identifies English with fastText where DataComp used gcld3
/// (see <doc:WritingAFilterStrategy>).
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
        /// The caption filter of the image-based baselines, then samples whose L/14 image
        /// embedding falls in a cluster that ImageNet-1k images fall in.
        case imageBased = "image_based"
        /// The CLIP-score selection, then `image_based` on what it kept (DataComp-1B's recipe).
        case imageBasedIntersectClipScore = "image_based_intersect_clip_score"
        /// CLIP score at least a threshold, or the top fraction of the pool by CLIP score.
        case clipScore = "clip_score"
        /// LAION-2B's rule: B/32 CLIP score at least 0.28 and an English caption.
        case laion2b

        var usesClipScore: Bool { rawValue.contains("clip_score") }
        var usesClusters: Bool { rawValue.contains("image_based") }
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
    /// `--image-based-scale`: take the centroids and ImageNet features of this scale from
    /// DataComp's asset cache (image-based baselines only).
    public var imageBasedScale: ImageBasedAssets.Scale?
    /// `--centroids`: the centroid file (image-based baselines, instead of a scale).
    public var centroidsPath: String?
    /// `--reference-embeddings`: the files whose embeddings mark the target clusters
    /// (image-based baselines, with ``centroidsPath``).
    public var referenceEmbeddingPaths: [String]

    /// A baseline with its arguments (not validated until ``validate()`` or ``strategy(resolver:)``).
    public init(
        name: Name, arch: Architecture? = nil, threshold: Float? = nil, fraction: Double? = nil,
        imageBasedScale: ImageBasedAssets.Scale? = nil, centroidsPath: String? = nil,
        referenceEmbeddingPaths: [String] = []
    ) {
        self.name = name
        self.arch = arch
        self.threshold = threshold
        self.fraction = fraction
        self.imageBasedScale = imageBasedScale
        self.centroidsPath = centroidsPath
        self.referenceEmbeddingPaths = referenceEmbeddingPaths
    }

    /// Checks the arguments as DataComp's `check_args` does (with `--centroids` and
    /// `--reference-embeddings` as an alternative to `--image-based-scale`), plus the fraction's
    /// range.
    ///
    /// - Throws: `DataCompError` with code `invalidArgument` and a message that names the fix.
    public func validate() throws {
        func fail(_ message: String) -> DataCompError { DataCompError(.invalidArgument, message) }
        let hasClusterFiles = centroidsPath != nil || !referenceEmbeddingPaths.isEmpty
        if name == .laion2b,
            fraction != nil || threshold != nil || arch != nil || imageBasedScale != nil || hasClusterFiles
        {
            throw fail(
                "laion2b does not support clip_score or image_based flags; drop --fraction, --threshold, --arch and the image-based flags"
            )
        }
        if name.usesClipScore {
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
        if name.usesClusters {
            if imageBasedScale != nil && hasClusterFiles {
                throw fail("give either --image-based-scale or --centroids with --reference-embeddings, not both")
            }
            if imageBasedScale == nil && !hasClusterFiles {
                throw fail(
                    "--image-based-scale (small, medium, large or xlarge) or --centroids with --reference-embeddings must be passed for image_based and image_based_intersect_clip_score baselines (for clustering)"
                )
            }
            if hasClusterFiles && (centroidsPath == nil || referenceEmbeddingPaths.isEmpty) {
                throw fail("--centroids and --reference-embeddings go together: pass both")
            }
        } else if imageBasedScale != nil || hasClusterFiles {
            throw fail(
                "--image-based-scale, --centroids and --reference-embeddings are only used by image_based and image_based_intersect_clip_score baselines; drop them for \(name.rawValue)"
            )
        }
        if let fraction, !(fraction > 0 && fraction <= 1) {
            throw fail("--fraction must be in (0, 1] (the share of the pool to keep), not \(fraction)")
        }
        if let threshold, threshold.isNaN { throw fail("--threshold must be a number, not nan") }
    }

    /// The baseline as a strategy, with the models it needs resolved by `resolver` (fastText's
    /// `lid.176.ftz`, the ImageNet-21k synset list), WordNet read from
    /// ``WordNet/defaultDirectory``, and the image-based assets read from their files.
    ///
    /// - Throws: `DataCompError` with code `invalidArgument` if the arguments are invalid, or
    ///   if a model or asset cannot be resolved or read.
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
            return try scoreFilter()
        case .imageBased:
            // image_filter_helper: the caption filter, then the cluster test.
            return CaptionFilterRules.captionFilter(try LanguageIdentifier(resolver: resolver))
                && (try clusterFilter(resolver))
        case .imageBasedIntersectClipScore:
            // The same, on the rows the score selection kept first.
            return try scoreFilter() && CaptionFilterRules.captionFilter(try LanguageIdentifier(resolver: resolver))
                && (try clusterFilter(resolver))
        case .laion2b:
            // load_uids_with_clip_score(b32, 0.28, gcld3_en_filter=True), with fastText's English.
            return ScoreFilter(.clipB32Score, .atLeast(0.28))
                && LanguageFilter(try LanguageIdentifier(resolver: resolver), language: "en")
        }
    }

    private func scoreFilter() throws -> ScoreFilter {
        guard let column = arch?.scoreColumn else { preconditionFailure("validated: clip_score baselines have --arch") }
        if let fraction { return ScoreFilter(column, .topFraction(fraction)) }
        return ScoreFilter(column, .atLeast(threshold ?? 0))
    }

    private func clusterFilter(_ resolver: AssetResolver) throws -> ClusterFilter {
        let centroidFile: String
        let referenceFiles: [String]
        if let imageBasedScale {
            let assets = ImageBasedAssets(scale: imageBasedScale, cacheDirectory: resolver.cacheDirectory)
            centroidFile = try assets.centroidsPath()
            referenceFiles = try assets.referenceEmbeddingPaths()
        } else {
            guard let centroidsPath else { preconditionFailure("validated: --centroids is given") }
            centroidFile = centroidsPath
            referenceFiles = referenceEmbeddingPaths
        }
        let centroids = try EmbeddingFile.read([centroidFile])
        let reference = try EmbeddingFile.read(referenceFiles)
        guard reference.shape[1] == centroids.shape[1] else {
            throw DataCompError(
                .shapeMismatch,
                "the reference embeddings have \(reference.shape[1]) values per row but the centroids have \(centroids.shape[1]); use L/14 features for both",
                path: referenceFiles[0])
        }
        return ClusterFilter(
            centroids: centroids, referenceEmbeddings: reference, assetPaths: [centroidFile] + referenceFiles)
    }
}
