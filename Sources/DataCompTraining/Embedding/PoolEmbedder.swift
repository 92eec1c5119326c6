import Foundation

/// Image and text features and CLIP scores of webdataset samples, with any encoder, written in
/// DataComp's pool formats: what `dataset2metadata` computes for DataComp's pools.
///
/// This is how a DFN-style scorer is built: train a model on curated data, score the pool with
/// it, and filter on the score (`ScoreFilter` over a sidecar column, or DataComp's `clip_score`
/// baseline over the written `clip_<key>_similarity_score` column).
///
/// - ``embed(shard:progress:)`` reads one `.tar` shard: every sample with an image (`jpg`, `jpeg`,
///   `png`, `webp`) and a caption (`txt`), its `json` (img2dataset's `uid`, `url`,
///   `original_width`, `original_height`, `sha256` when present), the L2-normalised image and
///   caption features and their cosine similarity (the CLIP score).
/// - ``writePool(shards:to:featureKey:progress:)`` writes, per shard, DataComp's metadata
///   `<stem>.parquet` (`uid`, `url`, `text`, `original_width`, `original_height`,
///   `clip_<key>_similarity_score`, `sha256`) and features `<stem>.npz` (`<key>_img`,
///   `<key>_txt`, float16 as DataComp's), so that a folder of your own shards becomes a pool the
///   filters read.
/// - ``writeSidecar(shards:pool:to:scoreName:progress:)`` scores the downloaded images of an
///   existing pool and writes one sidecar `<stem>.parquet` (`uid` and the score, `null` where the
///   sample was not downloaded) per metadata shard.
///
/// A sample whose `json` has no `uid` gets the first 16 bytes of SHA-256 of `<shard stem>/<key>`.
///
/// ```swift
/// let embedder = PoolEmbedder(encoder: encoder)
/// let features = try await embedder.embed(shard: "/data/shards/00000000.tar")
/// print(features.uids.count, features.scores.prefix(3))
/// ```
public struct PoolEmbedder: Sendable {
    /// The features of one shard's samples.
    public struct ShardFeatures: Sendable {
        /// The shard.
        public var shard: String
        /// The samples' keys.
        public var keys: [String]
        /// The samples' uids.
        public var uids: [SampleID]
        /// The captions.
        public var captions: [String]
        /// The `json` `url` of each sample, if any.
        public var urls: [String?]
        /// The `json` `original_width`, if any.
        public var originalWidths: [Int64?]
        /// The `json` `original_height`, if any.
        public var originalHeights: [Int64?]
        /// The `json` `sha256`, if any.
        public var sha256s: [String?]
        /// `[samples, dimension]` L2-normalised image features.
        public var imageFeatures: Tensor
        /// `[samples, dimension]` L2-normalised caption features.
        public var textFeatures: Tensor
        /// Each sample's image-caption cosine similarity.
        public var scores: [Float]
        /// Samples without an image or a caption, not embedded.
        public var skipped: Int
    }

    /// The model.
    public let encoder: any ImageTextEncoder
    /// Images per encoder call.
    public var batchSize: Int
    /// How many images are decoded at once.
    public var concurrency: ConcurrencyBudget

    /// Creates an embedder.
    ///
    /// - Parameters:
    ///   - encoder: The model.
    ///   - batchSize: Images per encoder call.
    ///   - concurrency: How many images are decoded at once.
    public init(encoder: any ImageTextEncoder, batchSize: Int = 64, concurrency: ConcurrencyBudget = .machine) {
        self.encoder = encoder
        self.batchSize = batchSize
        self.concurrency = concurrency
    }

    /// Embeds the samples of one shard.
    ///
    /// - Parameters:
    ///   - shard: The `.tar` file.
    ///   - progress: Advanced per image.
    /// - Returns: The features, uids and scores.
    /// - Throws: `DataCompError` naming the shard and sample for a damaged shard, an image that
    ///   cannot be decoded, or a malformed `uid`.
    public func embed(shard: String, progress: ProgressTracker? = nil) async throws -> ShardFeatures {
        let stem = URL(fileURLWithPath: shard).deletingPathExtension().lastPathComponent
        var keys: [String] = []
        var images: [MemberBytes] = []
        var captions: [String] = []
        var uids: [SampleID] = []
        var urls: [String?] = []
        var widths: [Int64?] = []
        var heights: [Int64?] = []
        var digests: [String?] = []
        var skipped = 0
        var reader = try WebDatasetShardReader(path: shard)
        while let sample = try reader.next() {
            guard let image = ["jpg", "jpeg", "png", "webp"].lazy.compactMap({ sample[$0] }).first,
                let caption = sample["txt"]
            else {
                skipped += 1
                continue
            }
            let json = try sample["json"].map { bytes in
                try DataCompError.attributing(to: shard) { try JSONValue(parsing: Data(bytes)) }
            }
            let uid: SampleID
            if let hex = json?["uid"]?.stringValue {
                do {
                    uid = try SampleID(hex: hex)
                } catch let error as DataCompError {
                    throw DataCompError(
                        error.code, "sample \(sample.key): \(error.message)", path: shard,
                        position: .member(sample.key + ".json"))
                }
            } else {
                uid = try SampleID(hex: String(SHA256.hash(Array("\(stem)/\(sample.key)".utf8)).hexString.prefix(32)))
            }
            keys.append(sample.key)
            images.append(image)
            captions.append(String(decoding: caption, as: UTF8.self))
            uids.append(uid)
            urls.append(json?["url"]?.stringValue)
            widths.append(json?["original_width"]?.intValue.map(Int64.init))
            heights.append(json?["original_height"]?.intValue.map(Int64.init))
            digests.append(json?["sha256"]?.stringValue)
        }
        let imageFeatures = try await encoder.embedImages(
            images, names: keys.map { "\(shard) sample \($0)" }, batchSize: batchSize, concurrency: concurrency,
            progress: progress
        ).rowNormalized()
        let textFeatures = try encoder.embedTexts(captions, batchSize: max(batchSize, 256)).rowNormalized()
        let dimension = encoder.embeddingDimension
        let scores = imageFeatures.withUnsafeBufferPointer { image in
            textFeatures.withUnsafeBufferPointer { text in
                (0..<keys.count).map { row in
                    var sum: Float = 0
                    for column in 0..<dimension {
                        sum += image[row * dimension + column] * text[row * dimension + column]
                    }
                    return sum
                }
            }
        }
        return ShardFeatures(
            shard: shard, keys: keys, uids: uids, captions: captions, urls: urls, originalWidths: widths,
            originalHeights: heights, sha256s: digests, imageFeatures: imageFeatures, textFeatures: textFeatures,
            scores: scores, skipped: skipped)
    }

    /// Writes each shard's features as a DataComp pool shard: `<stem>.parquet` and `<stem>.npz`.
    ///
    /// - Parameters:
    ///   - shards: The `.tar` shards.
    ///   - directory: The output folder (created if needed); files are written atomically.
    ///   - featureKey: The model's key in DataComp's names: `clip_<key>_similarity_score`,
    ///     `<key>_img`, `<key>_txt` (DataComp's are `b32` and `l14`).
    ///   - progress: Where progress goes.
    /// - Returns: The samples written and skipped.
    /// - Throws: `DataCompError` from reading, encoding or writing.
    @discardableResult
    public func writePool(
        shards: [String], to directory: String, featureKey: String = "b32",
        progress: any ProgressReporter = SilentProgressReporter()
    ) async throws -> (written: Int, skipped: Int) {
        try Self.createDirectory(directory)
        var written = 0
        var skipped = 0
        for shard in shards {
            let tracker = ProgressTracker(
                label: URL(fileURLWithPath: shard).lastPathComponent, total: nil, unit: "images", reporter: progress)
            let features = try await embed(shard: shard, progress: tracker)
            tracker.finish()
            let stem = directory + "/" + URL(fileURLWithPath: shard).deletingPathExtension().lastPathComponent
            let table = ParquetTable(
                rowCount: features.uids.count,
                columns: [
                    .strings("uid", features.uids.map(\.hexString)), .strings("url", features.urls),
                    .strings("text", features.captions), .int64("original_width", features.originalWidths),
                    .int64("original_height", features.originalHeights),
                    .float("clip_\(featureKey)_similarity_score", features.scores),
                    .strings("sha256", features.sha256s),
                ])
            try ParquetWriter.write(table, to: stem + ".parquet")
            try NPZArchive.write(
                [
                    (featureKey + "_img", Self.half(features.imageFeatures)),
                    (featureKey + "_txt", Self.half(features.textFeatures)),
                ], to: stem + ".npz")
            written += features.uids.count
            skipped += features.skipped
        }
        return (written, skipped)
    }

    /// Scores the downloaded samples of an existing pool and writes one sidecar per metadata
    /// shard: `<stem>.parquet` with the shard's `uid`s in order and the score (`null` for samples
    /// not found in `shards`), readable as `PoolColumn.sidecar(scoreName, in: directory)`.
    ///
    /// - Parameters:
    ///   - shards: The pool's downloaded `.tar` shards (img2dataset's, with `json` uids).
    ///   - pool: The pool's metadata.
    ///   - directory: The sidecar folder (created if needed); files are written atomically.
    ///   - scoreName: The score column's name.
    ///   - progress: Where progress goes.
    /// - Returns: The pool rows scored and those without a downloaded sample.
    /// - Throws: `DataCompError` from reading, encoding or writing.
    @discardableResult
    public func writeSidecar(
        shards: [String], pool: CandidatePool, to directory: String, scoreName: String,
        progress: any ProgressReporter = SilentProgressReporter()
    ) async throws -> (scored: Int, missing: Int) {
        try Self.createDirectory(directory)
        var scores: [SampleID: Float] = [:]
        for shard in shards {
            let tracker = ProgressTracker(
                label: URL(fileURLWithPath: shard).lastPathComponent, total: nil, unit: "images", reporter: progress)
            let features = try await embed(shard: shard, progress: tracker)
            tracker.finish()
            for (uid, score) in zip(features.uids, features.scores) { scores[uid] = score }
        }
        var scored = 0
        var missing = 0
        for index in pool.shards.indices {
            var uids: [SampleID] = []
            try pool.openShard(index, columns: [.uid]).forEachBatch { batch in
                uids += batch.identifiers(.uid)
            }
            let values = uids.map { scores[$0] }
            scored += values.filter { $0 != nil }.count
            missing += values.filter { $0 == nil }.count
            try ParquetWriter.write(
                ParquetTable(
                    rowCount: uids.count,
                    columns: [.strings("uid", uids.map(\.hexString)), .float(scoreName, values)]),
                to: directory + "/" + pool.shards[index].stem + ".parquet")
        }
        return (scored, missing)
    }

    /// A float32 feature matrix as DataComp's float16 `.npz` arrays.
    static func half(_ features: Tensor) -> NPYArray {
        NPYArray(shape: features.shape, scalars: features.scalars.map { Float16($0) })
    }

    private static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(.io, "cannot create the output folder: \(error.localizedDescription)", path: path)
        }
    }
}
