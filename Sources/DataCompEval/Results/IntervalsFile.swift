import Foundation

/// `eval_intervals.jsonl`, written beside `eval_results.jsonl`: one line per task with the
/// bootstrap interval of its main metric, so that DataComp's own file stays exactly as DataComp
/// writes it.
///
/// A line reads `{"key": "cifar10", "dataset": "CIFAR-10", "metric": "acc1", "value": 0.91,
/// "lower": 0.905, "upper": 0.915, "resamples": 1000, "seed": 0, "samples": 10000}`.
public struct IntervalsFile: Sendable {
    /// One line: a task's main metric and its interval.
    public struct Entry: Sendable, Equatable {
        /// The task key.
        public var key: String
        /// The task's display name.
        public var dataset: String
        /// The main metric's name.
        public var metric: String
        /// The main metric's value.
        public var value: Double
        /// The interval.
        public var interval: ConfidenceInterval
        /// The number of test samples.
        public var samples: Int

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - key: The task key.
        ///   - dataset: The display name.
        ///   - metric: The main metric's name.
        ///   - value: Its value.
        ///   - interval: Its interval.
        ///   - samples: Test samples.
        public init(
            key: String, dataset: String, metric: String, value: Double, interval: ConfidenceInterval, samples: Int
        ) {
            self.key = key
            self.dataset = dataset
            self.metric = metric
            self.value = value
            self.interval = interval
            self.samples = samples
        }

        var json: JSONValue {
            .object([
                ("key", .string(key)), ("dataset", .string(dataset)), ("metric", .string(metric)),
                ("value", .double(value)),
                ("lower", .double(interval.lower)), ("upper", .double(interval.upper)),
                ("resamples", .int(interval.resamples)), ("seed", .uint(interval.seed)), ("samples", .int(samples)),
            ])
        }

        init(json: JSONValue) throws {
            guard let key = json["key"]?.stringValue, let dataset = json["dataset"]?.stringValue,
                let metric = json["metric"]?.stringValue, let value = json["value"]?.doubleValue,
                let lower = json["lower"]?.doubleValue, let upper = json["upper"]?.doubleValue,
                let resamples = json["resamples"]?.intValue, let samples = json["samples"]?.intValue
            else {
                throw DataCompError(
                    .invalidFormat,
                    "an interval line needs key, dataset, metric, value, lower, upper, resamples and samples")
            }
            let seed: UInt64
            switch json["seed"] {
            case .int(let value)?: seed = UInt64(clamping: value)
            case .uint(let value)?: seed = value
            default: seed = 0
            }
            self.init(
                key: key, dataset: dataset, metric: metric, value: value,
                interval: ConfidenceInterval(lower: lower, upper: upper, resamples: resamples, seed: seed),
                samples: samples)
        }
    }

    /// The file's path.
    public let path: String
    /// The entries in file order.
    public private(set) var entries: [Entry]

    /// The intervals file beside a results file (`…/eval_intervals.jsonl`).
    ///
    /// - Parameter resultsPath: The path of `eval_results.jsonl`.
    /// - Returns: The intervals file's path.
    public static func path(besideResults resultsPath: String) -> String {
        let directory = (resultsPath as NSString).deletingLastPathComponent
        return directory.isEmpty ? "eval_intervals.jsonl" : directory + "/eval_intervals.jsonl"
    }

    /// Opens an intervals file, reading it if it exists.
    ///
    /// - Parameter path: The file.
    /// - Throws: `DataCompError` naming the line of an unreadable entry.
    public init(path: String) throws {
        self.path = path
        entries = []
        guard let data = FileManager.default.contents(atPath: path) else { return }
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            do {
                entries.append(try Entry(json: JSONValue(parsing: String(line))))
            } catch let error as DataCompError {
                throw DataCompError(error.code, error.message, path: path, position: .line(index + 1))
            }
        }
    }

    /// The entry of a task, if any.
    ///
    /// - Parameter key: The task key.
    /// - Returns: The last entry for it.
    public func entry(for key: String) -> Entry? { entries.last { $0.key == key } }

    /// Adds or replaces a task's entry and rewrites the file atomically.
    ///
    /// - Parameter entry: The entry.
    /// - Throws: `DataCompError` when the file cannot be written.
    public mutating func record(_ entry: Entry) throws {
        entries.removeAll { $0.key == entry.key }
        entries.append(entry)
        try AtomicFile.write(Array(entries.map { $0.json.serialized() + "\n" }.joined().utf8), to: path)
    }

    /// Removes every entry and rewrites the file (empty).
    ///
    /// - Throws: `DataCompError` when the file cannot be written.
    public mutating func removeAll() throws {
        entries = []
        try AtomicFile.write([UInt8](), to: path)
    }
}
