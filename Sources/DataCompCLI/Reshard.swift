import ArgumentParser
import DataComp
import Foundation

/// `datacomp reshard -i IN -o OUT -s SUBSET`: DataComp's `resharder.py`.
struct Reshard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write new WebDataset shards holding only the samples of a subset (DataComp's resharder.py).",
        discussion: """
            Reads the img2dataset shards of --input-dir (each NNNNNNNN.tar with its \
            NNNNNNNN_stats.json) and writes to --output-dir the samples whose json uid is in the \
            subset, once per time the subset lists it (keys <uid>-0, <uid>-1, …), members copied \
            byte for byte, at most --shard-size samples per shard, with NNNNNNNN_stats.json, \
            sample_ids.npy and meta.json as resharder.py writes them. Uids not found are counted \
            and reported. Shards are numbered in worker order. If the run is interrupted, run \
            the same command again: finished workers are kept and the shards appear only when \
            all are complete. --overwrite empties a non-empty output folder first.
            """
    )

    @Option(name: [.short, .customLong("input-dir"), .customLong("input_dir")], help: "The folder of input shards.")
    var inputDir: String

    @Option(name: [.short, .customLong("output-dir"), .customLong("output_dir")], help: "The output folder.")
    var outputDir: String

    @Option(
        name: [.short, .customLong("subset-file"), .customLong("subset_file")],
        help: "The subset file (.npy of sorted u8,u8 uids, or raw 16-byte records).")
    var subsetFile: String

    @Option(
        name: [.customShort("n"), .customLong("num-shards"), .customLong("num_shards")],
        help: "The number of input shards to consider (default: found by doubling and bisection).")
    var numShards: Int?

    @Option(name: [.customLong("first-shard"), .customLong("first_shard")], help: "The first input shard id.")
    var firstShard = 0

    @Option(
        name: [.customShort("j"), .customLong("num-workers"), .customLong("num_workers")],
        help: "The number of workers (default: the number of cores; at most the number of shards).")
    var numWorkers = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: [.customLong("shard-size"), .customLong("shard_size")], help: "The most samples per output shard.")
    var shardSize = 10_000

    @Option(
        name: [.customLong("shard-table"), .customLong("shard_table")],
        help: "A JSON file in the input folder mapping shard names to sample counts, trusted when present.")
    var shardTable = "sizes.json"

    @Flag(help: "Empty a non-empty output folder first.")
    var overwrite = false

    func validate() throws {
        guard numWorkers > 0 else { throw ValidationError("-j/--num-workers must be positive") }
        guard firstShard >= 0 else { throw ValidationError("--first-shard must not be negative") }
        if let numShards, numShards < 0 { throw ValidationError("-n/--num-shards must not be negative") }
    }

    func run() async throws {
        let resharder = Resharder(
            inputDirectory: inputDir, outputDirectory: outputDir, subsetPath: subsetFile,
            options: .init(
                inputShardCount: numShards == 0 ? nil : numShards, firstShard: firstShard, workerCount: numWorkers,
                shardSize: shardSize, overwrite: overwrite, shardTable: shardTable))
        let report = try await resharder.run(progress: TerminalProgressReporter())
        var lines: [String] = []
        if !report.missingShards.isEmpty {
            lines.append(
                "\(report.missingShards.count) input shards were skipped (no .tar or no _stats.json): \(report.missingShards.prefix(5).joined(separator: ", "))"
            )
        }
        let rate = report.elapsedSeconds > 0 ? Double(report.processedCount) / report.elapsedSeconds : 0
        lines.append(
            "processed \(report.processedCount) images in \(String(format: "%.3f", report.elapsedSeconds))s (\(String(format: "%.2f", rate)) images/sec)"
        )
        if report.processedCount != report.expectedSamples {
            lines.append("expected \(report.expectedSamples) samples but found \(report.processedCount)")
        }
        lines.append("output \(report.outputCount) images")
        if report.notFoundCount != 0 {
            lines.append("\(report.notFoundCount) images in the subset were not found in the input!")
        }
        if !report.skippedSamples.isEmpty {
            lines.append("\(report.skippedSamples.count) samples were skipped (no json or a bad uid)")
        }
        if !report.damagedShards.isEmpty {
            lines.append(
                "\(report.damagedShards.count) input shards were damaged; their samples before the damage were kept")
        }
        lines.append("wrote \(report.outputShardCount) output shards")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
