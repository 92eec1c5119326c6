import ArgumentParser
import DataComp
import Foundation

/// `datacomp copy-shards OUTPUT INPUT...`: re-cut WebDataset shards into new numbered shards.
struct CopyShards: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-shards",
        abstract: "Copy the samples of WebDataset shards into new numbered shards.",
        discussion: """
            Reads each input .tar in order, grouping members into samples as Python webdataset \
            does, and writes every sample to OUTPUT/00000000.tar, 00000001.tar, … with an \
            img2dataset-style <shard>_stats.json next to each, starting a new shard after \
            --max-count samples or --max-size payload bytes. Member bytes are copied unchanged; \
            with --mtime the output is byte-identical to webdataset's ShardWriter.
            """
    )

    @Argument(help: "The output folder (created if missing; must not contain shards).")
    var output: String

    @Argument(help: "The input .tar shards, in order.")
    var inputs: [String]

    @Option(help: "The maximum number of samples per output shard.")
    var maxCount = 10_000

    @Option(help: "The payload size in bytes after which a new shard starts.")
    var maxSize = 3_000_000_000

    @Option(help: "A fixed modification time (seconds since 1970) for every member.")
    var mtime: Int?

    @Flag(help: "Split samples at a repeated extension instead of failing (OpenCLIP's nothrow grouping).")
    var splitDuplicates = false

    func run() throws {
        try ensureFolder(output)
        let writer = try WebDatasetShardWriter(
            folder: output,
            options: .init(maxCount: maxCount, maxSize: maxSize, attributes: .init(modificationTime: mtime)))
        var count = 0
        for input in inputs {
            var reader = try WebDatasetShardReader(
                path: input, duplicatePolicy: splitDuplicates ? .startNewSample : .throwError)
            while let sample = try reader.next() {
                try writer.write(sample)
                count += 1
            }
        }
        let shards = try writer.finish()
        print(
            JSONValue.object([
                ("samples", .int(count)),
                ("shards", .int(shards.count)),
                ("output", .string(output)),
            ]).serialized(indent: 2))
    }

    private func ensureFolder(_ path: String) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(.io, "cannot create the output folder: \(error.localizedDescription)", path: path)
        }
        let existing = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        if existing.contains(where: { $0.hasSuffix(".tar") }) {
            throw DataCompError(
                .invalidArgument, "the output folder already contains .tar shards; choose an empty folder", path: path)
        }
    }
}
