/// What a ``Resharder`` run read, wrote and skipped.
public struct ReshardReport: Sendable {
    /// A sample that was not resharded, and why.
    public struct SkippedSample: Sendable, Hashable {
        /// The input shard.
        public var shard: String
        /// The sample's key.
        public var key: String
        /// Why it was skipped (no json, no uid, a uid that is not a number).
        public var reason: String
    }

    /// An input shard that could not be read to its end.
    public struct DamagedShard: Sendable, Hashable {
        /// The input shard.
        public var shard: String
        /// The error; the samples before it were resharded.
        public var message: String
    }

    /// The input shards read.
    public var inputShardCount: Int
    /// The input shards skipped for a missing tar or statistics file.
    public var missingShards: [String]
    /// The samples the statistics announce.
    public var expectedSamples: Int
    /// The samples with a json and a valid uid (`processed_count`).
    public var processedCount: Int
    /// The samples written, counting every copy (`output_count`).
    public var outputCount: Int
    /// The output shards (`output_shard_count`).
    public var outputShardCount: Int
    /// The samples in each output shard, in shard order.
    public var outputShardSampleCounts: [Int]
    /// The entries of the subset, duplicates included.
    public var subsetCount: Int
    /// The workers that ran.
    public var workerCount: Int
    /// The samples skipped.
    public var skippedSamples: [SkippedSample]
    /// The shards that ended in damage.
    public var damagedShards: [DamagedShard]
    /// The wall-clock time, in seconds.
    public var elapsedSeconds: Double

    /// The subset entries not written: `resharder.py`'s "images in the subset were not found in
    /// the input" (uids absent from the input, in skipped shards or in skipped samples).
    public var notFoundCount: Int { subsetCount - outputCount }
}
