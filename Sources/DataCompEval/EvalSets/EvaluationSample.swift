/// One sample of an eval set: an encoded image and what the task needs besides it.
public struct EvaluationSample: Sendable, Hashable {
    /// The sample's key in its shard (`s0000042`).
    public var key: String
    /// The shard the sample came from.
    public var shard: String
    /// The encoded image (the first of `webp`, `png`, `jpg`, `jpeg`).
    public var image: MemberBytes
    /// The image member's extension.
    public var imageExtension: String
    /// The `cls` label of a classification sample.
    public var label: Int?
    /// The 0/1 labels of a multi-label sample (`npy`).
    public var labels: [Bool]?
    /// The captions of a retrieval sample (`txt`, split into lines as Python's `splitlines`).
    public var captions: [String]?
    /// The integer metadata of a WILDS or fairness sample (`npy`).
    public var metadata: [Int]?

    /// Creates a sample.
    ///
    /// - Parameters:
    ///   - key: The sample key.
    ///   - shard: The shard's path.
    ///   - image: The encoded image.
    ///   - imageExtension: The image's extension.
    ///   - label: A classification label.
    ///   - labels: Multi-label targets.
    ///   - captions: Retrieval captions.
    ///   - metadata: WILDS or fairness metadata.
    public init(
        key: String, shard: String, image: MemberBytes, imageExtension: String, label: Int? = nil,
        labels: [Bool]? = nil,
        captions: [String]? = nil, metadata: [Int]? = nil
    ) {
        self.key = key
        self.shard = shard
        self.image = image
        self.imageExtension = imageExtension
        self.label = label
        self.labels = labels
        self.captions = captions
        self.metadata = metadata
    }
}
