import DataCompCore
import Foundation

/// Builds new WebDataset shards holding only the samples of a subset: DataComp's `resharder.py`.
///
/// The input is an img2dataset folder (`00000000.tar` with `00000000_stats.json`, …). As
/// `resharder.py`: the shard count is found by doubling and bisection unless given; a shard
/// whose tar or statistics file is missing is skipped with a warning; the samples are split
/// between workers by the statistics' `successes`, each worker reading a contiguous run of whole
/// shards; a sample's uid is its json's `uid` (read as Python's `int(uid, 16)`), and a uid
/// listed `k` times in the subset is written `k` times with keys `<uid>-0 … <uid>-(k−1)`, members
/// copied byte for byte in sorted extension order; output shards hold at most `shardSize`
/// samples (a new one also starts past 3 × 10⁹ payload bytes), each with a
/// `<n>_stats.json` of `{"successes": n}`; the subset is copied to `sample_ids.npy` and the run's
/// arguments and counters written to `meta.json` (the file `train.py` reads), with the details
/// (skipped shards and samples, damage, uids not found) in `reshard_report.json`. Uids of the subset
/// that are not found are reported, never an error; samples without json or with a bad uid are
/// skipped and reported, as is a damaged tar (its samples before the damage are kept).
///
/// Unlike `resharder.py`, the output shards are numbered in worker order (so the same input
/// gives the same shards whatever the scheduling), `--overwrite` really empties the output
/// folder, an unsorted subset is an error, and an interrupted run resumes: each worker writes
/// into `.reshard-state/` and the shards are moved into place only when all are complete, so the
/// output never holds a partial shard; rerunning the same command finishes the work, skipping
/// the workers that completed.
///
/// ```swift
/// import DataCompFilters
///
/// let resharder = Resharder(
///     inputDirectory: "shards", outputDirectory: "resharded", subsetPath: "subset.npy",
///     options: .init(workerCount: 8))
/// let report = try await resharder.run(progress: TerminalProgressReporter())
/// print(report.outputCount, "samples in", report.outputShardCount, "shards;", report.notFoundCount, "not found")
/// ```
public struct Resharder: Sendable {
    /// How the resharder reads and writes.
    public struct Options: Sendable, Hashable {
        /// The number of input shards to consider (`-n`); `nil` finds them.
        public var inputShardCount: Int?
        /// The first input shard id (`--first-shard`).
        public var firstShard: Int
        /// The number of workers (`-j`), capped at the number of shards.
        public var workerCount: Int
        /// The most samples per output shard (`--shard-size`).
        public var shardSize: Int
        /// The payload size after which a new output shard starts (webdataset's `maxsize`).
        public var maxShardBytes: Int
        /// Whether a non-empty output folder may be emptied first (`--overwrite`).
        public var overwrite: Bool
        /// The shard table file in the input folder (`--shard-table`): shard name → sample count.
        public var shardTable: String

        /// Options with `resharder.py`'s defaults.
        ///
        /// - Precondition: `workerCount` and `maxShardBytes` are positive; `firstShard` and
        ///   `inputShardCount` are not negative.
        public init(
            inputShardCount: Int? = nil, firstShard: Int = 0,
            workerCount: Int = ProcessInfo.processInfo.activeProcessorCount, shardSize: Int = 10_000,
            maxShardBytes: Int = 3_000_000_000, overwrite: Bool = false, shardTable: String = "sizes.json"
        ) {
            precondition(workerCount > 0 && maxShardBytes > 0, "workers and the size limit must be positive")
            precondition(firstShard >= 0 && (inputShardCount ?? 0) >= 0, "shard numbers must not be negative")
            self.inputShardCount = inputShardCount
            self.firstShard = firstShard
            self.workerCount = workerCount
            self.shardSize = shardSize
            self.maxShardBytes = maxShardBytes
            self.overwrite = overwrite
            self.shardTable = shardTable
        }

        func shardName(_ id: Int) -> String { WebDatasetShardWriter.shardName(id) }
        func statisticsName(_ id: Int) -> String { WebDatasetShardWriter.statisticsName(id) }
    }

    /// The img2dataset shard folder read.
    public var inputDirectory: String
    /// The folder the new shards go to (created if missing).
    public var outputDirectory: String
    /// The DataComp subset file (`.npy`, or raw 16-byte records).
    public var subsetPath: String
    /// The options.
    public var options: Options

    /// A resharding job.
    public init(inputDirectory: String, outputDirectory: String, subsetPath: String, options: Options = .init()) {
        self.inputDirectory = inputDirectory
        self.outputDirectory = outputDirectory
        self.subsetPath = subsetPath
        self.options = options
    }

    static let stateFolder = ".reshard-state"

    /// For tests of resuming: only the workers it accepts run, and the run then stops as an
    /// interrupted one would, leaving their results in the state folder.
    package var runsOnlyUnits: (@Sendable (Int) -> Bool)?

    /// Reshards, or finishes an interrupted run of the same job.
    ///
    /// - Parameter progress: Receives the samples read (label `reshard`).
    /// - Returns: What was read, written, skipped and not found.
    /// - Throws: `DataCompError` before anything is written for a missing input, an invalid or
    ///   unsorted subset, a non-empty output folder without ``Options/overwrite``, or leftovers of
    ///   an interrupted run with different arguments; `io` when writing fails.
    public func run(progress: some ProgressReporter = .silent) async throws -> ReshardReport {
        let started = ContinuousClock.now
        let subset = try SubsetFile.read(from: subsetPath)
        let plan = try ReshardPlan.make(options: options, inputDirectory: inputDirectory)
        let state = outputDirectory + "/" + Self.stateFolder
        let planJSON = try planDescription(plan)
        try prepareOutput(state: state, planJSON: planJSON)
        let tracker = ProgressTracker(label: "reshard", total: plan.totalSamples, unit: "samples", reporter: progress)
        defer { tracker.finish() }
        let options = options
        let runsOnly = runsOnlyUnits
        let outcomes = try await BoundedFanOut.map(plan.units.count, width: plan.workerCount) {
            unit -> ReshardWorker.Outcome? in
            if let runsOnly, !runsOnly(unit) { return nil }
            return try ReshardWorker(
                unit: unit, shards: Array(plan.shards[plan.units[unit]]), subset: subset, options: options,
                folder: state + "/unit-\(unit)", tracker: tracker
            ).run()
        }
        let units = outcomes.compactMap { $0 }
        guard units.count == outcomes.count else { throw CancellationError() }
        // Every worker finished: move the shards into place, numbered in worker order.
        var number = 0
        var shardCounts: [Int] = []
        for (index, unit) in units.enumerated() {
            for (local, count) in unit.shardCounts.enumerated() {
                let source = state + "/unit-\(index)/" + WebDatasetShardWriter.shardName(local)
                let destination = outputDirectory + "/" + WebDatasetShardWriter.shardName(number)
                if FileManager.default.fileExists(atPath: source) {
                    try POSIX.system_rename(source, destination)
                }
                try AtomicFile.write(
                    Array("{\"successes\": \(count)}".utf8),
                    to: outputDirectory + "/" + WebDatasetShardWriter.statisticsName(number))
                shardCounts.append(count)
                number += 1
            }
        }
        let subsetBytes = try Data(contentsOf: URL(fileURLWithPath: subsetPath))
        try AtomicFile.write(Array(subsetBytes), to: outputDirectory + "/sample_ids.npy")
        let processed = units.reduce(0) { $0 + $1.processed }
        let output = units.reduce(0) { $0 + $1.output }
        let report = ReshardReport(
            inputShardCount: plan.shards.count, missingShards: plan.missing, expectedSamples: plan.totalSamples,
            processedCount: processed, outputCount: output, outputShardCount: number,
            outputShardSampleCounts: shardCounts,
            subsetCount: subset.count, workerCount: plan.workerCount,
            skippedSamples: units.flatMap(\.skipped), damagedShards: units.flatMap(\.damaged),
            elapsedSeconds: (ContinuousClock.now - started).seconds)
        try AtomicFile.write(Array(reportJSON(report).utf8), to: outputDirectory + "/reshard_report.json")
        try AtomicFile.write(Array(metaJSON(plan: plan, report: report).utf8), to: outputDirectory + "/meta.json")
        try? FileManager.default.removeItem(atPath: state)
        return report
    }

    /// The output folder must be empty, or hold an interrupted run of this same job (resumed),
    /// or be emptied (overwrite).
    private func prepareOutput(state: String, planJSON: String) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(
                .io, "cannot create the output folder: \(error.localizedDescription)", path: outputDirectory)
        }
        let entries = (try? manager.contentsOfDirectory(atPath: outputDirectory)) ?? []
        let planPath = state + "/plan.json"
        if options.overwrite {
            for entry in entries {
                do {
                    try manager.removeItem(atPath: outputDirectory + "/" + entry)
                } catch {
                    throw DataCompError(
                        .io, "cannot empty the output folder (--overwrite): \(error.localizedDescription)",
                        path: outputDirectory + "/" + entry)
                }
            }
        } else if entries == [Self.stateFolder] {
            let previous = manager.contents(atPath: planPath).map { String(decoding: $0, as: UTF8.self) }
            guard previous == planJSON else {
                throw DataCompError(
                    .invalidArgument,
                    "the output folder holds an interrupted run with other arguments or inputs; rerun it with the same arguments to resume, or pass --overwrite to start again",
                    path: outputDirectory)
            }
            return
        } else if !entries.isEmpty {
            throw DataCompError(
                .invalidArgument,
                "refusing to overwrite a non-empty output folder; choose an empty folder or pass --overwrite (which deletes its contents)",
                path: outputDirectory)
        }
        do {
            try manager.createDirectory(atPath: state, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(.io, "cannot create the state folder: \(error.localizedDescription)", path: state)
        }
        try AtomicFile.write(Array(planJSON.utf8), to: planPath)
    }

    /// What identifies the job, so that a resumed run is the same one.
    private func planDescription(_ plan: ReshardPlan) throws -> String {
        let subset = try FileFingerprint(of: subsetPath, hashing: true)
        return JSONValue.object([
            ("input_dir", .string(inputDirectory)), ("subset_sha256", .string(subset.sha256 ?? "")),
            ("shard_size", .int(options.shardSize)), ("max_shard_bytes", .int(options.maxShardBytes)),
            ("shards", .array(plan.shards.map { .array([.string($0.name), .int($0.size)]) })),
            ("units", .array(plan.units.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })),
        ]).serialized(indent: 1) + "\n"
    }

    /// `meta.json` as `resharder.py` writes it: its arguments as strings, then the counters, on
    /// one line without a trailing newline.
    private func metaJSON(plan: ReshardPlan, report: ReshardReport) -> String {
        func python(_ value: Int?) -> JSONValue { .string(value.map(String.init) ?? "None") }
        let members: [(String, JSONValue)] = [
            ("input_dir", .string(inputDirectory)), ("output_dir", .string(outputDirectory)),
            ("subset_file", .string(subsetPath)), ("num_shards", python(options.inputShardCount)),
            ("first_shard", python(options.firstShard)), ("num_workers", python(plan.workerCount)),
            ("shard_size", python(options.shardSize)), ("shard_format", .string("{:08d}.tar")),
            ("output_shard_format", .string("{:08d}.tar")), ("shard_stats_format", .string("{:08d}_stats.json")),
            ("output_shard_stats_format", .string("{:08d}_stats.json")), ("shard_table", .string(options.shardTable)),
            ("write_shard_table", .string("False")), ("shuffle_bufsize", .string("0")),
            ("blur_metadata_map", .string("None")), ("apply_blur", .string("False")),
            ("inject_blur_metadata", .string("False")), ("reencode_webp_quality", .string("100")),
            ("dry_run", .string("False")), ("overwrite", .string(options.overwrite ? "True" : "False")),
            ("verbose", .string("None")), ("quiet", .string("None")),
            ("processed_count", .int(report.processedCount)), ("output_count", .int(report.outputCount)),
            ("blur_count", .int(0)), ("blur_time", .int(0)), ("output_shard_count", .int(report.outputShardCount)),
            ("worker_success", .int(plan.units.count)),
            ("cwd", .string(FileManager.default.currentDirectoryPath)),
        ]
        return JSONValue.object(members).serialized()
    }

    /// `reshard_report.json`: what `meta.json` has no place for — the input shards skipped, the
    /// samples skipped and why, the damaged shards, the uids not found, the tool.
    private func reportJSON(_ report: ReshardReport) -> String {
        JSONValue.object([
            ("tool", .string(DataCompVersion.toolName)), ("input_shards", .int(report.inputShardCount)),
            ("missing_shards", .array(report.missingShards.map(JSONValue.string))),
            ("expected_samples", .int(report.expectedSamples)), ("processed_count", .int(report.processedCount)),
            ("output_count", .int(report.outputCount)), ("subset_entries", .int(report.subsetCount)),
            ("not_found", .int(report.notFoundCount)),
            (
                "skipped_samples",
                .array(
                    report.skippedSamples.map {
                        .object([
                            ("shard", .string($0.shard)), ("key", .string($0.key)), ("reason", .string($0.reason)),
                        ])
                    })
            ),
            (
                "damaged_shards",
                .array(
                    report.damagedShards.map {
                        .object([("shard", .string($0.shard)), ("error", .string($0.message))])
                    })
            ),
            ("output_shard_samples", .array(report.outputShardSampleCounts.map(JSONValue.int))),
            ("elapsed_seconds", .double(report.elapsedSeconds)),
        ]).serialized(indent: 2) + "\n"
    }
}
