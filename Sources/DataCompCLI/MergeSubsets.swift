import ArgumentParser
import DataComp
import Foundation

/// `datacomp merge-subsets --save-path OUT.npy PART...`: the final subset of a distributed run.
struct MergeSubsets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-subsets",
        abstract: "Merge the partial results of a distributed filter run into its subset (.npy) and report.",
        discussion: """
            Each PART is a folder written by `datacomp filter ... --shard-index i --num-shards N`. \
            All N shares must be given. Thresholds of top-fraction selections are computed from \
            every share's scores exactly as a single run computes them, so OUT.npy is \
            byte-identical to the subset of a single run and OUT.report.json equal to its report \
            (but for the time).
            """
    )

    @Option(name: [.customLong("save-path"), .customLong("save_path")], help: "The subset file to write (.npy).")
    var savePath: String

    @Argument(help: "The partial-result folders of every share.")
    var parts: [String]

    func run() throws {
        let partials = try parts.map { try PartialFilterResult(contentsOfDirectory: $0) }
        let result = try PartialFilterResult.merge(partials)
        try write(result, to: savePath, prefix: "merged \(partials.count) shares: ")
    }
}
