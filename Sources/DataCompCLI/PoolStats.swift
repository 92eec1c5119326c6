import ArgumentParser
import DataComp
import Foundation

/// `datacomp pool stats --metadata-dir DIR`.
struct PoolStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print rows, shards, CLIP score quantiles, caption-length and image-size summaries of a pool.",
        discussion: """
            Reads only the text, original_width, original_height and both CLIP score columns, \
            shard by shard (the .npz files are only checked for presence). Quantiles (min, p1, \
            p5, p25, p50, p75, p95, p99, max) are numpy.quantile's default linear interpolation \
            computed in float64. Caption characters are Unicode scalars (Python len), words are \
            Python str.split() items. Output is JSON (indent 2) or, with --format text, a table.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @Option(
        name: .customLong("metadata-dir"),
        help: "The metadata folder (non-recursive; *.parquet files paired with *.npz).")
    var metadataDirectory: String

    @Option(help: "Output format: json or text.")
    var format: Format = .json

    @Option(help: "The most shards read at once.")
    var maxConcurrency: Int = 2

    func run() async throws {
        guard maxConcurrency > 0 else { throw ValidationError("--max-concurrency must be positive") }
        let pool = try CandidatePool(metadataDirectory: metadataDirectory)
        // One scan computes the distributions (DataCompCore) and the basic filter's rule counts
        // (DataCompFilters) together.
        let columns = PoolStatistics.columns.union(BasicFilterTally.columns)
        let parts = try await pool.mapShards(
            columns: columns, concurrency: ConcurrencyBudget(width: maxConcurrency),
            progress: TerminalProgressReporter()
        ) { reader in
            var statistics = PoolStatistics()
            statistics.shardCount = 1
            if !reader.shard.hasNPZ { statistics.shardsMissingNPZ = [reader.shard.stem] }
            var tally = BasicFilterTally()
            try reader.forEachBatch { batch in
                statistics.add(batch)
                tally.add(batch)
            }
            return (statistics, tally)
        }
        var statistics = PoolStatistics()
        var tally = BasicFilterTally()
        for (part, counts) in parts {
            statistics.merge(part)
            tally.merge(counts)
        }
        let output: String
        switch format {
        case .json:
            guard case .object(let members) = statistics.jsonValue() else { return }
            output =
                JSONValue.object([("metadata_dir", .string(metadataDirectory))] + members + Self.fractions(tally))
                .serialized(indent: 2) + "\n"
        case .text:
            output = Self.table(statistics, tally: tally, directory: metadataDirectory)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// The shares of rows failing each basic-filter caption and size rule.
    private static func fractions(_ tally: BasicFilterTally) -> [(String, JSONValue)] {
        func fraction(_ part: Int) -> JSONValue {
            tally.rowCount == 0 ? .null : .double(Double(part) / Double(tally.rowCount))
        }
        return [
            ("fraction_caption_at_most_2_words", fraction(tally.failingWordCount)),
            ("fraction_caption_at_most_5_characters", fraction(tally.failingCharacterCount)),
            ("fraction_min_side_below_200", fraction(tally.failingMinimumSide)),
            ("fraction_aspect_ratio_above_3", fraction(tally.aspectRatioAboveMaximum)),
        ]
    }

    private static func table(_ statistics: PoolStatistics, tally: BasicFilterTally, directory: String) -> String {
        func number(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.5g", value)
        }
        func percent(_ part: Int) -> String {
            statistics.rowCount == 0 ? "-" : String(format: "%.2f%%", 100 * Double(part) / Double(statistics.rowCount))
        }
        func pad(_ text: String, _ width: Int) -> String {
            " " + (text.count >= width - 1 ? text : String(repeating: " ", count: width - 1 - text.count) + text)
        }
        var lines = [
            "metadata dir: \(directory)",
            "rows: \(statistics.rowCount)   shards: \(statistics.shardCount)   shards with npz: \(statistics.shardCount - statistics.shardsMissingNPZ.count)",
            "",
            "column".padding(toLength: 28, withPad: " ", startingAt: 0)
                + PoolStatistics.reportedQuantiles.map { pad($0.name, 11) }.joined() + pad("mean", 11),
        ]
        let rows: [(String, PoolDistribution)] = [
            ("clip_b32_similarity_score", statistics.clipB32Scores),
            ("clip_l14_similarity_score", statistics.clipL14Scores),
            ("caption characters", statistics.captionCharacters), ("caption words", statistics.captionWords),
            ("original_width", statistics.originalWidths), ("original_height", statistics.originalHeights),
        ]
        for (name, distribution) in rows {
            let values = distribution.quantiles(PoolStatistics.reportedQuantiles.map(\.q))
            lines.append(
                name.padding(toLength: 28, withPad: " ", startingAt: 0) + values.map { pad(number($0), 11) }.joined()
                    + pad(number(distribution.mean), 11))
        }
        lines += [
            "",
            "captions with <= 2 words: \(percent(tally.failingWordCount))   <= 5 characters: \(percent(tally.failingCharacterCount))",
            "images with min side < 200: \(percent(tally.failingMinimumSide))   aspect ratio > 3: \(percent(tally.aspectRatioAboveMaximum))",
        ]
        if !statistics.shardsMissingNPZ.isEmpty {
            lines.append("shards without npz: " + statistics.shardsMissingNPZ.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
