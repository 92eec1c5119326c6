/// Writes samples into numbered WebDataset shards (`00000000.tar`, `00000001.tar`, …) in a
/// folder, rolling to a new shard like webdataset's `ShardWriter`, with an img2dataset-style
/// `00000000_stats.json` next to each shard.
///
/// Before each sample, a new shard is started when the current one already holds
/// ``Options/maxCount`` samples or ``Options/maxSize`` payload bytes (the sum of member sizes,
/// as webdataset counts), so a shard can exceed `maxSize` by one sample. Each shard is written
/// to a temporary file and renamed into place when it is complete, then its statistics file is
/// written atomically. Unlike webdataset, no empty shard is written when no sample arrives.
///
/// ```swift
/// let writer = try WebDatasetShardWriter(folder: "out", options: .init(maxCount: 10_000))
/// for sample in samples { try writer.write(sample) }
/// let shards = try writer.finish()
/// ```
///
/// A `WebDatasetShardWriter` is not thread-safe; use one per task.
public final class WebDatasetShardWriter {
    /// How shards are cut and written.
    public struct Options: Sendable, Hashable {
        /// The maximum number of samples per shard (webdataset `maxcount`; DataComp uses 10 000).
        public var maxCount: Int
        /// The payload size at which a new shard starts (webdataset `maxsize`, 3 × 10⁹).
        public var maxSize: Int
        /// The number of the first shard.
        public var firstShard: Int
        /// Header fields for every member.
        public var attributes: TarMemberAttributes
        /// Whether to write `<shard>_stats.json` next to each shard.
        public var writesStatistics: Bool

        /// Creates options.
        ///
        /// - Parameters:
        ///   - maxCount: The maximum number of samples per shard; must be positive.
        ///   - maxSize: The payload size at which a new shard starts; must be positive.
        ///   - firstShard: The number of the first shard.
        ///   - attributes: Header fields for every member.
        ///   - writesStatistics: Whether to write statistics files.
        public init(
            maxCount: Int = 10_000, maxSize: Int = 3_000_000_000, firstShard: Int = 0,
            attributes: TarMemberAttributes = .init(), writesStatistics: Bool = true
        ) {
            self.maxCount = maxCount
            self.maxSize = maxSize
            self.firstShard = firstShard
            self.attributes = attributes
            self.writesStatistics = writesStatistics
        }
    }

    /// A finished shard.
    public struct WrittenShard: Sendable, Hashable {
        /// The shard number.
        public var number: Int
        /// The path of the `.tar` file.
        public var path: String
        /// The number of samples in it.
        public var sampleCount: Int
        /// The sum of its member sizes.
        public var payloadBytes: Int
        /// Its statistics (also written to `<number>_stats.json` when enabled).
        public var statistics: WebDatasetShardStatistics
    }

    /// The output folder.
    public let folder: String
    /// The options in use.
    public let options: Options
    private var nextShard: Int
    private var session: AtomicFileSession?
    private var count = 0
    private var size = 0
    private var startTime = 0.0
    private var buffer: [UInt8] = []
    private var finished: [WrittenShard] = []

    /// Creates a writer into an existing folder.
    ///
    /// - Parameters:
    ///   - folder: The output folder; it must exist.
    ///   - options: How to cut and write shards.
    /// - Throws: ``DataCompError`` with code `fileNotFound` if the folder does not exist.
    /// - Precondition: `options.maxCount` and `options.maxSize` are positive and
    ///   `options.firstShard` is not negative.
    public init(folder: String, options: Options = .init()) throws {
        precondition(
            options.maxCount > 0 && options.maxSize > 0 && options.firstShard >= 0,
            "maxCount (\(options.maxCount)) and maxSize (\(options.maxSize)) must be positive and firstShard (\(options.firstShard)) non-negative"
        )
        guard POSIX.system_isDirectory(folder) else {
            throw DataCompError(.fileNotFound, "the output folder does not exist; create it first", path: folder)
        }
        self.folder = folder
        self.options = options
        nextShard = options.firstShard
    }

    /// The shard file name for a number: `%08d.tar`.
    ///
    /// - Parameter number: The shard number.
    /// - Returns: For example `00000012.tar`.
    public static func shardName(_ number: Int) -> String { padded(number) + ".tar" }

    /// The statistics file name for a number: `%08d_stats.json`.
    ///
    /// - Parameter number: The shard number.
    /// - Returns: For example `00000012_stats.json`.
    public static func statisticsName(_ number: Int) -> String { padded(number) + "_stats.json" }

    private static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Writes one sample, starting a new shard first if the current one is full.
    ///
    /// - Parameter sample: The sample; members whose extension starts with `_` are not written.
    /// - Throws: ``DataCompError`` with code `io`, or `invalidArgument` for repeated extensions.
    public func write(_ sample: WebDatasetSample) throws {
        if session == nil || count >= options.maxCount || size >= options.maxSize {
            try closeShard()
            let path = folder + "/" + Self.shardName(nextShard)
            session = try AtomicFileSession(path: path)
            count = 0
            size = 0
            startTime = Self.now()
        }
        guard let session else { return }
        let time = options.attributes.modificationTime ?? WebDatasetTarWriter.currentTime()
        size += try WebDatasetTarWriter.encode(
            sample, attributes: options.attributes, modificationTime: time, into: &buffer, sink: &session.sink)
        count += 1
    }

    /// Completes the last shard and returns every shard written.
    ///
    /// - Returns: The shards in the order written.
    /// - Throws: ``DataCompError`` with code `io`.
    @discardableResult
    public func finish() throws -> [WrittenShard] {
        try closeShard()
        return finished
    }

    private func closeShard() throws {
        guard let session else { return }
        self.session = nil
        guard count > 0 else {
            // The shard's first sample was rejected: leave no empty shard behind.
            session.abandon()
            return
        }
        buffer.removeAll(keepingCapacity: true)
        WebDatasetTarWriter.appendEnd(archiveSize: session.sink.bytesWritten, to: &buffer)
        try session.sink.write(buffer)
        try session.commit()
        let statistics = WebDatasetShardStatistics(
            count: count, successes: count, startTime: startTime, endTime: Self.now(),
            statusCounts: [("success", count)])
        if options.writesStatistics {
            let text = statistics.jsonValue.serialized(indent: 4)
            try AtomicFile.write(Array(text.utf8), to: folder + "/" + Self.statisticsName(nextShard))
        }
        finished.append(
            WrittenShard(
                number: nextShard, path: session.path, sampleCount: count, payloadBytes: size, statistics: statistics))
        nextShard += 1
    }

    private static func now() -> Double { POSIX.system_wallClock() }
}
