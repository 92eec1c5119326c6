/// A task's metrics in the order they were computed: the `metrics` object of a row of
/// `eval_results.jsonl`, `main_metric` included.
///
/// A value is a `Double`, or `nil` where DataComp writes `null` (for example `acc5` of a task
/// with fewer than 5 classes). NaN is kept and written as Python's `json` writes it (`NaN`).
///
/// ```swift
/// var metrics = EvaluationMetrics()
/// metrics["acc1"] = 0.75
/// metrics["acc5"] = nil as Double?        // stored as null
/// print(metrics["acc1"] ?? 0)              // Optional(0.75)
/// ```
public struct EvaluationMetrics: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// The metrics as name and value, in order.
    public private(set) var entries: [(name: String, value: Double?)]

    /// Creates an empty set of metrics.
    public init() { entries = [] }

    /// Creates metrics from name-value pairs, in order.
    ///
    /// - Parameter elements: The pairs; a repeated name keeps its last value at its first place.
    public init(dictionaryLiteral elements: (String, Double?)...) {
        entries = []
        for (name, value) in elements { self[name] = value }
    }

    /// The value of a metric.
    ///
    /// `nil` when the metric is absent, `.some(nil)` when it is `null`. Setting a value replaces
    /// it in place or appends a new metric; setting `nil` removes the metric.
    public subscript(name: String) -> Double?? {
        get { entries.first { $0.name == name }.map { $0.value } }
        set {
            guard let newValue else {
                entries.removeAll { $0.name == name }
                return
            }
            if let index = entries.firstIndex(where: { $0.name == name }) {
                entries[index].value = newValue
            } else {
                entries.append((name, newValue))
            }
        }
    }

    /// Whether a metric of this name is present (even as `null`).
    ///
    /// - Parameter name: A metric name.
    /// - Returns: Whether it is present.
    public func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }

    /// The metric names, in order.
    public var names: [String] { entries.map(\.name) }

    /// The `main_metric` value, if present and not `null`.
    public var mainMetric: Double? { self["main_metric"] ?? nil }

    /// Iterates over the metrics in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: Double?)]> { entries.makeIterator() }

    /// Adds `other`'s metrics after these, replacing values of names already present (as
    /// Python's `dict.update`).
    ///
    /// - Parameter other: The metrics to add.
    public mutating func merge(_ other: EvaluationMetrics) {
        for (name, value) in other.entries { self[name] = value }
    }

    /// The metrics as a JSON object, `null` for missing values.
    public var json: JSONValue {
        .object(entries.map { ($0.name, $0.value.map(JSONValue.double) ?? .null) })
    }

    /// Whether two sets of metrics have the same names, in the same order, with bitwise-equal
    /// values (NaN equals NaN).
    public static func == (lhs: EvaluationMetrics, rhs: EvaluationMetrics) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { a, b in
                a.name == b.name && a.value?.bitPattern == b.value?.bitPattern
            }
    }
}
