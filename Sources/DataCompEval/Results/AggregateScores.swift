import Foundation

/// DataComp's summary of a results file, as `aggregate_scores.py` computes it: the average of
/// the 38 main metrics and the means of four groups.
///
/// Rows whose main metric is `null` (FairFace, UTKFace) or NaN are dropped; of several rows for
/// one dataset the last counts. `aggregate_scores.py` refuses a file without exactly 38 scored
/// rows; here such a file gives a **partial** aggregate (``isPartial``): every mean is taken over
/// the tasks present, and ``missingTasks`` names the others. A partial average is not comparable
/// with DataComp's leaderboard.
///
/// ```swift
/// let scores = try AggregateScores(file: EvaluationResultsFile(path: "eval_results.jsonl"))
/// print(scores.report())   // ImageNet: 0.xxx … Average: 0.xxx
/// ```
public struct AggregateScores: Sendable, Equatable {
    /// A group of tasks that DataComp averages.
    public struct Group: Sendable, Hashable {
        /// The group's name as `aggregate_scores.py` prints it.
        public var name: String
        /// The display names of its tasks.
        public var datasets: [String]
    }

    /// `aggregate_scores.py`'s `DATASET_GROUPS`, in its order.
    public static let groups: [Group] = [
        Group(
            name: "ImageNet dist. shifts",
            datasets: ["ImageNet Sketch", "ImageNet v2", "ImageNet-A", "ImageNet-O", "ImageNet-R", "ObjectNet"]),
        Group(
            name: "VTAB",
            datasets: [
                "Caltech-101", "CIFAR-100", "CLEVR Counts", "CLEVR Distance", "Describable Textures", "EuroSAT",
                "KITTI Vehicle Distance", "Oxford Flowers-102", "Oxford-IIIT Pet", "PatchCamelyon", "RESISC45", "SVHN",
                "SUN397",
            ]),
        Group(name: "Retrieval", datasets: ["Flickr", "MSCOCO", "WinoGAViL"]),
    ]

    /// The scores in `aggregate_scores.py`'s order.
    ///
    /// `ImageNet`, the three groups, then `Average`; a score is `nil` when none of its tasks is
    /// present.
    public var scores: [(name: String, value: Double?)]
    /// The number of scored tasks present.
    public var taskCount: Int
    /// The scored tasks (display names) of DataComp's 38 that are absent.
    public var missingTasks: [String]
    /// Scored datasets present that are not among DataComp's 38 (they count in the average).
    public var extraDatasets: [String]

    /// Whether the aggregate covers fewer (or other) tasks than DataComp's 38.
    public var isPartial: Bool { !missingTasks.isEmpty || taskCount != 38 }

    /// The value of a score by name (`"Average"`, `"VTAB"`, …).
    ///
    /// - Parameter name: A score's name.
    /// - Returns: Its value, or `nil`.
    public subscript(name: String) -> Double? {
        scores.first { $0.name == name }?.value ?? nil
    }

    /// Aggregates the rows of a results file.
    ///
    /// - Parameter results: The rows.
    public init(results: [EvaluationResult]) {
        var byDataset: [String: Double] = [:]
        var order: [String] = []
        for result in results {
            guard let value = result.mainMetric, !value.isNaN else { continue }
            if byDataset[result.dataset] == nil { order.append(result.dataset) }
            byDataset[result.dataset] = value
        }
        let expected = EvaluationTask.scored.map(\.name)
        missingTasks = expected.filter { byDataset[$0] == nil }
        extraDatasets = order.filter { !expected.contains($0) }
        taskCount = byDataset.count
        func mean(_ names: [String]) -> Double? {
            let values = names.compactMap { byDataset[$0] }
            return values.isEmpty ? nil : Self.numpyMean(values)
        }
        var scores: [(String, Double?)] = [("ImageNet", byDataset["ImageNet 1k"])]
        for group in Self.groups { scores.append((group.name, mean(group.datasets))) }
        scores.append(("Average", mean(order)))
        self.scores = scores
    }

    /// Aggregates a results file.
    ///
    /// - Parameter file: The file.
    public init(file: EvaluationResultsFile) {
        self.init(results: file.results)
    }

    /// The scores as `aggregate_scores.py` prints them (`ImageNet: 0.123`, three decimals), with a
    /// first line saying so when the aggregate is partial.
    ///
    /// - Returns: The text, one score per line.
    public func report() -> String {
        var lines: [String] = []
        if isPartial {
            lines.append(
                "PARTIAL: \(taskCount) of DataComp's 38 scored tasks; means are over the tasks present"
                    + (missingTasks.isEmpty ? "" : " (missing: \(missingTasks.joined(separator: ", ")))"))
        }
        for (name, value) in scores {
            lines.append("\(name): " + (value.map { Self.threeDecimals($0) } ?? "n/a"))
        }
        return lines.joined(separator: "\n")
    }

    /// `np.mean` of a list as numpy computes it: the first value plus numpy's pairwise sum of
    /// the rest (eight accumulators below 128 values), divided by the count.
    static func numpyMean(_ values: [Double]) -> Double {
        guard let first = values.first else { return .nan }
        return (first + pairwiseSum(values[1...])) / Double(values.count)
    }

    /// numpy's `pairwise_sum` for doubles.
    static func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
        let n = values.count
        let base = values.startIndex
        if n < 8 {
            var result = -0.0
            for value in values { result += value }
            return result
        }
        if n <= 128 {
            var r = (0..<8).map { values[base + $0] }
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += values[base + i + j] }
                i += 8
            }
            var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n {
                result += values[base + i]
                i += 1
            }
            return result
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(values[base..<(base + half)]) + pairwiseSum(values[(base + half)...])
    }

    /// A score as the reports print it: Python's `f"{x:.3f}"`.
    ///
    /// - Parameter value: The score.
    /// - Returns: Three decimals (`nan` for NaN).
    public static func format(_ value: Double) -> String { threeDecimals(value) }

    /// Python's `f"{x:.3f}"` (both round the exact binary value correctly).
    static func threeDecimals(_ value: Double) -> String {
        value.isNaN ? "nan" : String(format: "%.3f", value)
    }

    /// Whether two aggregates have the same tasks and scores.
    public static func == (lhs: AggregateScores, rhs: AggregateScores) -> Bool {
        lhs.taskCount == rhs.taskCount && lhs.missingTasks == rhs.missingTasks && lhs.extraDatasets == rhs.extraDatasets
            && lhs.scores.count == rhs.scores.count
            && zip(lhs.scores, rhs.scores).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
