import DataCompCore
import Foundation

/// One worker of a resharding run: reads its run of input shards in order and writes the copies
/// of the subset's samples into its own folder, then marks itself done there, so that a resumed
/// run skips it.
struct ReshardWorker {
    let unit: Int
    let shards: [ReshardPlan.Shard]
    let subset: Subset
    let options: Resharder.Options
    let folder: String
    let tracker: ProgressTracker

    struct Outcome: Sendable {
        var processed = 0
        var output = 0
        var shardCounts: [Int] = []
        var skipped: [ReshardReport.SkippedSample] = []
        var damaged: [ReshardReport.DamagedShard] = []
    }

    func run() throws -> Outcome {
        let manager = FileManager.default
        let donePath = folder + "/done.json"
        if let data = manager.contents(atPath: donePath), let outcome = Self.outcome(from: data) {
            tracker.advance(by: shards.reduce(0) { $0 + $1.size })
            return outcome
        }
        // Anything a killed attempt left is discarded; the worker starts over.
        try? manager.removeItem(atPath: folder)
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(.io, "cannot create the worker folder: \(error.localizedDescription)", path: folder)
        }
        let writer = try WebDatasetShardWriter(
            folder: folder,
            options: .init(maxCount: max(options.shardSize, 1), maxSize: options.maxShardBytes, writesStatistics: false)
        )
        var outcome = Outcome()
        for shard in shards {
            var read = 0
            var processedHere = 0
            do {
                var reader = try WebDatasetShardReader(
                    path: shard.path, duplicatePolicy: .startNewSample, keepsSamplesBeforeDamage: true)
                while let sample = try reader.next() {
                    try Task.checkCancellation()
                    read += 1
                    let copies: [WebDatasetSample]
                    do {
                        copies = try SubsetResharding.copies(of: sample, in: subset)
                    } catch let error as DataCompError {
                        outcome.skipped.append(.init(shard: shard.name, key: sample.key, reason: error.message))
                        Self.log("\(shard.path)/\(sample.key): \(error.message); skipping")
                        continue
                    }
                    for copy in copies { try writer.write(copy) }
                    outcome.output += copies.count
                    processedHere += 1
                    if read % 1000 == 0 { tracker.advance(by: 1000) }
                }
            } catch let error as DataCompError where error.path == shard.path {
                outcome.damaged.append(.init(shard: shard.name, message: error.description))
                Self.log(
                    "\(error.description); the samples before the damage were kept, continuing with the next shard")
            }
            tracker.advance(by: max(0, shard.size - read / 1000 * 1000))
            outcome.processed += processedHere
            if processedHere != shard.size {
                Self.log("\(shard.name): expected \(shard.size) samples but found \(processedHere)")
            }
        }
        outcome.shardCounts = try writer.finish().map(\.sampleCount)
        try AtomicFile.write(Array(Self.json(outcome).utf8), to: donePath)
        return outcome
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("reshard: \(message)\n".utf8))
    }

    private static func json(_ outcome: Outcome) -> String {
        JSONValue.object([
            ("processed", .int(outcome.processed)), ("output", .int(outcome.output)),
            ("shard_counts", .array(outcome.shardCounts.map(JSONValue.int))),
            (
                "skipped",
                .array(outcome.skipped.map { .array([.string($0.shard), .string($0.key), .string($0.reason)]) })
            ),
            ("damaged", .array(outcome.damaged.map { .array([.string($0.shard), .string($0.message)]) })),
        ]).serialized()
    }

    private static func outcome(from data: Data) -> Outcome? {
        guard let json = try? JSONValue(parsing: data), let processed = json["processed"]?.intValue,
            let output = json["output"]?.intValue, let counts = json["shard_counts"]?.arrayValue
        else { return nil }
        var outcome = Outcome(processed: processed, output: output, shardCounts: counts.compactMap(\.intValue))
        for entry in json["skipped"]?.arrayValue ?? [] {
            let fields = entry.arrayValue?.compactMap(\.stringValue) ?? []
            if fields.count == 3 { outcome.skipped.append(.init(shard: fields[0], key: fields[1], reason: fields[2])) }
        }
        for entry in json["damaged"]?.arrayValue ?? [] {
            let fields = entry.arrayValue?.compactMap(\.stringValue) ?? []
            if fields.count == 2 { outcome.damaged.append(.init(shard: fields[0], message: fields[1])) }
        }
        return outcome
    }
}
