/// The per-shard statistics file `<shard>_stats.json`, in img2dataset 1.40's layout (the
/// DataComp resharder reads `successes` from it).
public struct WebDatasetShardStatistics: Sendable, Hashable {
    /// The number of samples attempted (for shards we write: the samples written).
    public var count: Int
    /// The number of samples in the shard.
    public var successes: Int
    /// Samples that could not be downloaded (always 0 for shards written from existing data).
    public var failedToDownload: Int
    /// Samples whose image could not be resized (always 0 for shards written from existing data).
    public var failedToResize: Int
    /// When writing the shard started, in seconds since 1970.
    public var startTime: Double
    /// When writing the shard ended, in seconds since 1970.
    public var endTime: Double
    /// Sample counts per status (`{"success": n}` for shards we write).
    public var statusCounts: [(String, Int)]

    /// Creates shard statistics.
    ///
    /// - Parameters:
    ///   - count: Samples attempted.
    ///   - successes: Samples written.
    ///   - failedToDownload: Failed downloads.
    ///   - failedToResize: Failed resizes.
    ///   - startTime: Start, in seconds since 1970.
    ///   - endTime: End, in seconds since 1970.
    ///   - statusCounts: Counts per status, in order.
    public init(
        count: Int, successes: Int, failedToDownload: Int = 0, failedToResize: Int = 0,
        startTime: Double, endTime: Double, statusCounts: [(String, Int)]
    ) {
        self.count = count
        self.successes = successes
        self.failedToDownload = failedToDownload
        self.failedToResize = failedToResize
        self.startTime = startTime
        self.endTime = endTime
        self.statusCounts = statusCounts
    }

    /// `endTime - startTime`, in seconds.
    public var duration: Double { endTime - startTime }

    /// The JSON object img2dataset writes: `count`, `successes`, `failed_to_download`,
    /// `failed_to_resize`, `duration`, `start_time`, `end_time`, `status_dict`, in that order.
    public var jsonValue: JSONValue {
        .object([
            ("count", .int(count)),
            ("successes", .int(successes)),
            ("failed_to_download", .int(failedToDownload)),
            ("failed_to_resize", .int(failedToResize)),
            ("duration", .double(duration)),
            ("start_time", .double(startTime)),
            ("end_time", .double(endTime)),
            ("status_dict", .object(statusCounts.map { ($0.0, .int($0.1)) })),
        ])
    }

    /// Whether two statistics have equal fields.
    public static func == (lhs: WebDatasetShardStatistics, rhs: WebDatasetShardStatistics) -> Bool {
        lhs.jsonValue == rhs.jsonValue
    }

    /// Hashes the fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(jsonValue.serialized())
    }
}
