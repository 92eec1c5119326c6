/// One row of DataComp's `eval_results.jsonl`: `{"key": …, "dataset": …, "metrics": {…,
/// "main_metric": …}}`.
public struct EvaluationResult: Sendable, Equatable {
    /// The task key (`"vtab/caltech101"`).
    public var key: String
    /// The task's display name (`"Caltech-101"`).
    public var dataset: String
    /// The metrics, `main_metric` included.
    public var metrics: EvaluationMetrics

    /// Creates a row.
    ///
    /// - Parameters:
    ///   - key: The task key.
    ///   - dataset: The display name.
    ///   - metrics: The metrics.
    public init(key: String, dataset: String, metrics: EvaluationMetrics) {
        self.key = key
        self.dataset = dataset
        self.metrics = metrics
    }

    /// The main metric, or `nil` when it is `null` or missing.
    public var mainMetric: Double? { metrics.mainMetric }

    /// The row as JSON, keys in DataComp's order.
    public var json: JSONValue {
        .object([("key", .string(key)), ("dataset", .string(dataset)), ("metrics", metrics.json)])
    }

    /// The row as `json.dumps` writes it (one line, no newline).
    public var line: String { json.serialized() }

    /// Parses a row.
    ///
    /// - Parameter json: A parsed line of `eval_results.jsonl`.
    /// - Throws: `DataCompError` with code `invalidFormat` when `key`, `dataset` or `metrics`
    ///   is missing or a metric is neither a number nor `null`.
    public init(json: JSONValue) throws {
        guard let key = json["key"]?.stringValue, let dataset = json["dataset"]?.stringValue,
            let members = json["metrics"]?.objectMembers
        else {
            throw DataCompError(.invalidFormat, "a result row needs \"key\", \"dataset\" and a \"metrics\" object")
        }
        var metrics = EvaluationMetrics()
        for (name, value) in members {
            if value.isNull {
                metrics[name] = nil as Double?
            } else if let number = value.doubleValue {
                metrics[name] = number
            } else {
                throw DataCompError(.invalidFormat, "metric \"\(name)\" of \(key) is neither a number nor null")
            }
        }
        self.init(key: key, dataset: dataset, metrics: metrics)
    }
}
