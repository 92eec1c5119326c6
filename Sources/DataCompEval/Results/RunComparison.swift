/// Two evaluation runs side by side: per task and for DataComp's averages, the difference of
/// the main metrics and whether it exceeds the uncertainty of the two measurements.
///
/// A task's uncertainty is the half-width of its 95% bootstrap interval (from the
/// `eval_intervals.jsonl` beside each results file); without one, the binomial approximation
/// `1.96 · sqrt(p (1 − p) / n)` with the task's size. The two runs' uncertainties combine as
/// `sqrt(uA² + uB²)`, and an average's as `sqrt(Σ uᵢ²) / n` over its tasks (test sets are
/// independent). A difference is called **larger than the noise** when it exceeds that value.
/// Training seeds add more noise (DataComp's README: up to 0.006 on the average), which a single
/// pair of runs cannot measure.
public struct RunComparison: Sendable {
    /// One row of the comparison.
    public struct Row: Sendable, Equatable {
        /// A task's display name or an aggregate's name.
        public var name: String
        /// Run A's value.
        public var a: Double
        /// Run B's value.
        public var b: Double
        /// `b − a`.
        public var difference: Double { b - a }
        /// The combined 95% uncertainty of the difference.
        public var uncertainty: Double
        /// Whether the uncertainty came from bootstrap intervals of both runs (otherwise, at least
        /// in part, from the binomial approximation).
        public var fromIntervals: Bool
        /// Whether `|difference|` exceeds the uncertainty.
        public var isSignificant: Bool { abs(difference) > uncertainty }
    }

    /// The tasks present (with a main metric) in both runs, in DataComp's task order.
    public var tasks: [Row]
    /// `Average` and the group means over the common tasks.
    public var aggregates: [Row]
    /// Tasks scored in only one of the runs (display names).
    public var unmatched: [String]

    /// Compares two runs.
    ///
    /// - Parameters:
    ///   - a: Run A's results.
    ///   - b: Run B's results.
    ///   - intervalsA: Run A's intervals, if any.
    ///   - intervalsB: Run B's intervals, if any.
    public init(
        a: [EvaluationResult], b: [EvaluationResult], intervalsA: IntervalsFile? = nil, intervalsB: IntervalsFile? = nil
    ) {
        func scored(_ results: [EvaluationResult]) -> [String: EvaluationResult] {
            var byKey: [String: EvaluationResult] = [:]
            for result in results where result.mainMetric.map({ !$0.isNaN }) ?? false { byKey[result.key] = result }
            return byKey
        }
        let (byKeyA, byKeyB) = (scored(a), scored(b))
        let knownOrder = EvaluationTask.all.map(\.key)
        let keys = Set(byKeyA.keys).intersection(byKeyB.keys).sorted { x, y in
            (knownOrder.firstIndex(of: x) ?? .max, x) < (knownOrder.firstIndex(of: y) ?? .max, y)
        }
        unmatched = Set(byKeyA.keys).symmetricDifference(byKeyB.keys).compactMap { key in
            (byKeyA[key] ?? byKeyB[key])?.dataset
        }.sorted()

        func halfWidth(_ result: EvaluationResult, _ intervals: IntervalsFile?) -> (Double, Bool) {
            if let entry = intervals?.entry(for: result.key) { return (entry.interval.halfWidth, true) }
            let p = min(max(result.mainMetric ?? 0, 0), 1)
            let n = Double(EvaluationTask.named(result.key)?.size ?? 1000)
            return (1.96 * (p * (1 - p) / n).squareRoot(), false)
        }
        var rows: [Row] = []
        var rowsByDataset: [String: Row] = [:]
        for key in keys {
            guard let resultA = byKeyA[key], let resultB = byKeyB[key], let valueA = resultA.mainMetric,
                let valueB = resultB.mainMetric
            else { continue }
            let (ua, fa) = halfWidth(resultA, intervalsA)
            let (ub, fb) = halfWidth(resultB, intervalsB)
            let row = Row(
                name: resultA.dataset, a: valueA, b: valueB,
                uncertainty: (ua * ua + ub * ub).squareRoot(), fromIntervals: fa && fb)
            rows.append(row)
            rowsByDataset[row.name] = row
        }
        tasks = rows

        func aggregate(_ name: String, _ members: [Row]) -> Row? {
            guard !members.isEmpty else { return nil }
            let n = Double(members.count)
            return Row(
                name: name, a: members.map(\.a).reduce(0, +) / n, b: members.map(\.b).reduce(0, +) / n,
                uncertainty: members.map { $0.uncertainty * $0.uncertainty }.reduce(0, +).squareRoot() / n,
                fromIntervals: members.allSatisfy(\.fromIntervals))
        }
        var aggregates: [Row] = []
        if let imagenet = rowsByDataset["ImageNet 1k"] {
            aggregates.append(
                Row(
                    name: "ImageNet", a: imagenet.a, b: imagenet.b, uncertainty: imagenet.uncertainty,
                    fromIntervals: imagenet.fromIntervals))
        }
        for group in AggregateScores.groups {
            if let row = aggregate(group.name, group.datasets.compactMap { rowsByDataset[$0] }) {
                aggregates.append(row)
            }
        }
        if let row = aggregate("Average", rows) { aggregates.append(row) }
        self.aggregates = aggregates
    }

    /// A plain-text table: name, A, B, B − A, ± uncertainty and the verdict.
    ///
    /// - Returns: The table.
    public func report() -> String {
        let width = max(24, (tasks + aggregates).map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ count: Int) -> String {
            text + String(repeating: " ", count: max(0, count - text.count))
        }
        func number(_ value: Double) -> String { AggregateScores.threeDecimals(value) }
        var lines = [pad("task", width) + "       A       B     B−A   ±95%   verdict"]
        for row in tasks + aggregates {
            let difference = (row.difference >= 0 ? "+" : "") + AggregateScores.threeDecimals(row.difference)
            let verdict = row.isSignificant ? "larger than the noise" : "within the noise"
            lines.append(
                pad(row.name, width) + "  "
                    + [number(row.a), number(row.b), difference, number(row.uncertainty)].map {
                        String(repeating: " ", count: max(0, 6 - $0.count)) + $0
                    }.joined(separator: "  ") + "   " + verdict + (row.fromIntervals ? "" : " (binomial)"))
        }
        if !unmatched.isEmpty { lines.append("only in one run: " + unmatched.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
