import Foundation

/// Image-text batches from webdataset shards for training, as OpenCLIP's `get_wds_dataset`
/// reads them: samples with an image (`jpg`, `jpeg`, `png` or `webp`) and a caption (`txt`),
/// decoded, transformed (training augmentation or the evaluation transform) and tokenized, in
/// parallel.
///
/// The data is one or more folders (DataComp's `train.py` joins several with `::`), whose shards
/// are found as `train.py` finds them (``TrainingShards``: numbered `*.tar` groups, resharder
/// output folders by their `meta.json`, sub-folders). The sample order is a
/// function of the seed alone: in order with `sequential`, otherwise a seeded permutation of all
/// samples for each pass over the data. A batch is the next `batchSize` readable samples from a
/// ``Position``; samples whose image cannot be decoded are skipped and counted, as OpenCLIP's
/// `log_and_continue` handler skips them. Keeping the position in a checkpoint resumes the exact
/// sequence.
public struct TrainingDataLoader: Sendable {
    /// Where the sample stream stands: samples consumed since the start (over all passes) and
    /// samples skipped.
    public struct Position: Sendable, Hashable, Codable {
        /// Samples drawn from the stream, skipped ones included.
        public var consumed: Int
        /// Samples skipped because their image could not be decoded or a member was missing.
        public var skipped: Int

        /// Creates a position.
        ///
        /// - Parameters:
        ///   - consumed: Samples drawn.
        ///   - skipped: Samples skipped.
        public init(consumed: Int = 0, skipped: Int = 0) {
            self.consumed = consumed
            self.skipped = skipped
        }
    }

    /// One training batch.
    public struct Batch: Sendable {
        /// `[count, 3, size, size]` pixels.
        public var pixels: Tensor
        /// The captions' tokens.
        public var tokens: TokenBatch
        /// The samples' keys.
        public var keys: [String]
    }

    /// The shard files, in order.
    public let shardPaths: [String]
    /// The number of samples with an image and a caption.
    public var sampleCount: Int { samples.count }
    /// Samples per batch.
    public let batchSize: Int
    /// The seed of the order and of the augmentation.
    public let seed: UInt64
    /// Whether samples come in shard order (no shuffling).
    public let sequential: Bool
    /// Whether the training augmentation (random resized crop) is applied; otherwise the
    /// evaluation transform.
    public let augments: Bool
    /// Whether shards are drawn with replacement (OpenCLIP's `--dataset-resampled`, which
    /// DataComp's `train.py` always passes): each pass over `sampleCount` samples is made of
    /// shards chosen uniformly at random, each contributing its samples in a seeded order, so a
    /// pass repeats some shards and misses others.
    public let resampled: Bool
    private let samples: [Sample]
    /// The samples of each shard (contiguous ranges of `samples`).
    private let shardRanges: [Range<Int>]
    private let preprocessor: ImagePreprocessor
    private let tokenizer: CLIPTokenizer
    private let contextLength: Int
    private let concurrency: ConcurrencyBudget

    private struct Sample: Sendable {
        var key: String
        var image: MemberBytes
        var caption: String
    }

    /// Opens the shards of one or more data folders.
    ///
    /// - Parameters:
    ///   - dataDirectories: Data folders or `.tar` files (a single string may join several with
    ///     `::`), read as ``TrainingShards``.
    ///   - preprocessor: The image transform (the model's size and normalisation).
    ///   - tokenizer: The caption tokenizer.
    ///   - contextLength: Tokens per caption (the model's `context_length`).
    ///   - batchSize: Samples per batch.
    ///   - seed: The seed of the order and augmentation.
    ///   - sequential: Whether to keep shard order (`--sequential`).
    ///   - augments: Whether to apply the training augmentation (`false`: `--no-augment`).
    ///   - resampled: Whether to draw shards with replacement (`--dataset-resampled`).
    ///   - concurrency: How many samples are decoded at once.
    /// - Throws: `DataCompError` naming a folder without shards, a damaged shard, or data without
    ///   any image-caption sample.
    public init(
        dataDirectories: [String], preprocessor: ImagePreprocessor, tokenizer: CLIPTokenizer, contextLength: Int,
        batchSize: Int, seed: UInt64, sequential: Bool = false, augments: Bool = true, resampled: Bool = false,
        concurrency: ConcurrencyBudget = .machine
    ) throws {
        precondition(batchSize > 0, "batch size must be positive")
        let shards = try TrainingShards(dataDirectories: dataDirectories).paths
        var samples: [Sample] = []
        var shardRanges: [Range<Int>] = []
        for shard in shards {
            let first = samples.count
            defer { if samples.count > first { shardRanges.append(first..<samples.count) } }
            var reader = try WebDatasetShardReader(path: shard)
            while let sample = try reader.next() {
                guard let image = ["jpg", "jpeg", "png", "webp"].lazy.compactMap({ sample[$0] }).first,
                    let caption = sample["txt"]
                else { continue }
                samples.append(Sample(key: sample.key, image: image, caption: String(decoding: caption, as: UTF8.self)))
            }
        }
        guard !samples.isEmpty else {
            throw DataCompError(
                .invalidFormat, "no sample with an image (jpg, png, webp) and a caption (txt) in \(shards.count) shards"
            )
        }
        self.shardPaths = shards
        self.samples = samples
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.contextLength = contextLength
        self.batchSize = batchSize
        self.seed = seed
        self.sequential = sequential
        self.augments = augments
        self.resampled = resampled
        self.shardRanges = shardRanges
        self.concurrency = concurrency
    }

    /// The index into the samples of stream position `position`.
    private func sampleIndex(at position: Int, order: inout (pass: Int, permutation: [Int])) -> Int {
        let pass = position / samples.count
        let offset = position % samples.count
        if sequential { return offset }
        if order.pass != pass || order.permutation.isEmpty {
            var generator = SplitMix64(seed: seed, stream: UInt64(pass))
            if resampled {
                var permutation: [Int] = []
                permutation.reserveCapacity(samples.count + (shardRanges.map(\.count).max() ?? 0))
                while permutation.count < samples.count {
                    let shard = shardRanges[Int(generator.next() % UInt64(shardRanges.count))]
                    permutation += Array(shard).shuffled(using: &generator)
                }
                order = (pass, Array(permutation.prefix(samples.count)))
            } else {
                order = (pass, Array(0..<samples.count).shuffled(using: &generator))
            }
        }
        return order.permutation[offset]
    }

    /// The batch at a stream position, and the position after it.
    ///
    /// - Parameter position: Where the batch starts.
    /// - Returns: The batch and the next position.
    /// - Throws: `DataCompError` when no readable sample remains within a whole pass.
    public func batch(at position: Position) throws -> (batch: Batch, next: Position) {
        var next = position
        var pixels: [Float] = []
        var captions: [String] = []
        var keys: [String] = []
        var order: (pass: Int, permutation: [Int]) = (-1, [])
        let plane = 3 * preprocessor.size * preprocessor.size
        var failuresInARow = 0
        while keys.count < batchSize {
            // Decode a window of candidates in parallel; keep them in order.
            let wanted = batchSize - keys.count
            let positions = (0..<wanted).map { next.consumed + $0 }
            let indices = positions.map { sampleIndex(at: $0, order: &order) }
            let samples = self.samples
            let preprocessor = self.preprocessor
            let augments = self.augments
            let seed = self.seed
            let decoded: [Tensor?] = try BoundedFanOut.mapBlocking(
                indices.count, width: concurrency.width, makeState: {}
            ) { item, _ in
                // OpenCLIP decodes webdataset images with "pilrgb": RGB before any transform.
                guard let image = try? Image(decoding: samples[indices[item]].image).convertedToRGB() else {
                    return nil
                }
                if augments {
                    var generator = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15, stream: UInt64(positions[item]))
                    return preprocessor.trainingTensor(for: image, using: &generator)
                }
                return try? preprocessor.evaluationTensor(for: image)
            }
            for (item, tensor) in decoded.enumerated() {
                next.consumed += 1
                guard let tensor, tensor.count == plane else {
                    next.skipped += 1
                    failuresInARow += 1
                    if failuresInARow > self.samples.count {
                        throw DataCompError(.imageDecodingFailed, "no image of the training data can be decoded")
                    }
                    continue
                }
                failuresInARow = 0
                pixels.append(contentsOf: tensor.scalars)
                captions.append(samples[indices[item]].caption)
                keys.append(samples[indices[item]].key)
            }
        }
        let tokens = tokenizer.tokenize(captions, contextLength: contextLength)
        let size = preprocessor.size
        return (
            Batch(pixels: Tensor(shape: [keys.count, 3, size, size], scalars: pixels), tokens: tokens, keys: keys), next
        )
    }
}
