import DataCompCore
import Foundation

/// The input side of a resharding run, decided as `resharder.py` decides it: which shards exist,
/// how many samples each holds (from its statistics), and which contiguous runs of shards each
/// worker reads.
struct ReshardPlan: Sendable {
    struct Shard: Sendable {
        var id: Int
        var name: String
        var path: String
        var size: Int
        var dataStart: Int
    }

    /// The shards kept (tar and statistics present), in id order.
    var shards: [Shard]
    /// The names of shards skipped for a missing tar or statistics file.
    var missing: [String]
    /// Whether the count came from the doubling search.
    var guessedCount: Int?
    /// Each worker's range of `shards` (non-empty), in worker order.
    var units: [Range<Int>]
    /// The workers after capping to the number of shards.
    var workerCount: Int

    var totalSamples: Int { shards.last.map { $0.dataStart + $0.size } ?? 0 }

    static func make(options: Resharder.Options, inputDirectory: String) throws -> ReshardPlan {
        let manager = FileManager.default
        func shardPath(_ id: Int) -> String { inputDirectory + "/" + options.shardName(id) }
        var guessed: Int?
        let count: Int
        if let requested = options.inputShardCount {
            count = requested
        } else {
            // resharder.py's guess_num_shards: double until a tar is missing, then bisect.
            func exists(_ n: Int) -> Bool { manager.fileExists(atPath: shardPath(options.firstShard + n - 1)) }
            var n = 1
            var doublings = 0
            while exists(n) {
                doublings += 1
                guard doublings < 40 else {
                    throw DataCompError(
                        .invalidArgument, "found too many shards (at least \(n)); pass -n", path: inputDirectory)
                }
                n *= 2
            }
            guard n > 1 else {
                throw DataCompError(
                    .fileNotFound,
                    "did not find any shards: no \(options.shardName(options.firstShard)) in the input folder; check -i and --first-shard",
                    path: inputDirectory)
            }
            // The count of consecutive tars from first_shard: the last n in [n/2, n) that exists.
            var low = n / 2
            var high = n - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if exists(middle) { low = middle } else { high = middle - 1 }
            }
            count = low
            guessed = count
        }
        var table: [String: Int] = [:]
        let tablePath = inputDirectory + "/" + options.shardTable
        if let data = manager.contents(atPath: tablePath) {
            if let object = (try? JSONValue(parsing: data))?.objectMembers {
                for (name, value) in object { if let size = value.intValue { table[name] = size } }
            } else {
                FileHandle.standardError.write(
                    Data("warning: cannot parse the shard table \(tablePath); ignoring it\n".utf8))
            }
        }
        var shards: [Shard] = []
        var missing: [String] = []
        var start = 0
        for id in options.firstShard..<(options.firstShard + count) {
            let name = options.shardName(id)
            var size = table[name]
            if size == nil {
                let statsPath = inputDirectory + "/" + options.statisticsName(id)
                if manager.fileExists(atPath: statsPath), manager.fileExists(atPath: shardPath(id)) {
                    size = try successes(in: statsPath)
                }
            }
            guard let size else {
                missing.append(name)
                continue
            }
            shards.append(Shard(id: id, name: name, path: shardPath(id), size: size, dataStart: start))
            start += size
        }
        guard !shards.isEmpty else {
            throw DataCompError(
                .fileNotFound,
                "none of the \(count) input shards has both its .tar and its statistics file (\(options.statisticsName(options.firstShard)), …); the resharder needs each shard's successes count",
                path: inputDirectory)
        }
        let workers = min(options.workerCount, shards.count)
        // resharder.py's plan: split the samples into equal ranges and give each worker the
        // shards whose start falls in its range (searchsorted(..., side="left")).
        let total = start
        var boundaries: [Int] = []
        let step = max(1, (total + workers - 1) / workers)
        var sample = 0
        repeat {
            boundaries.append(shards.firstIndex { $0.dataStart >= sample } ?? shards.count)
            sample += step
        } while sample < total
        boundaries.append(shards.count)
        var units: [Range<Int>] = []
        for index in 0..<(boundaries.count - 1) where boundaries[index] < boundaries[index + 1] {
            units.append(boundaries[index]..<boundaries[index + 1])
        }
        return ReshardPlan(shards: shards, missing: missing, guessedCount: guessed, units: units, workerCount: workers)
    }

    private static func successes(in path: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataCompError(.io, "cannot read the shard statistics", path: path)
        }
        let json = try DataCompError.attributing(to: path) { try JSONValue(parsing: data) }
        guard let value = json["successes"], let number = value.intValue ?? value.doubleValue.map({ Int($0) }) else {
            throw DataCompError(
                .invalidFormat, "the shard statistics have no numeric \"successes\" (img2dataset writes it)", path: path
            )
        }
        return number
    }
}
