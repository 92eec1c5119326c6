/// The metrics of single-label zero-shot classification, computed as clip_benchmark 1.4 and
/// DataComp's `wds_eval.py` compute them.
///
/// - `acc1`, `acc5`: the fraction of samples whose label is among the `k` best classes
///   (``Ranking/topIndices(_:k:)``); `acc5` only with at least 5 class names.
/// - `mean_per_class_recall`: scikit-learn's `balanced_accuracy_score` of the `argmax`
///   predictions: the mean recall over the classes present in the labels.
public enum ClassificationMetrics {
    /// The fraction of samples whose label is among their top-`k` classes.
    ///
    /// - Parameters:
    ///   - topIndices: Each sample's best classes, best first (at least `k` of them, unless the
    ///     task has fewer classes).
    ///   - labels: Each sample's label.
    ///   - k: How many of the best classes count.
    /// - Returns: The accuracy in [0, 1], or 0 for no samples.
    public static func topKAccuracy(topIndices: [[Int]], labels: [Int], k: Int) -> Double {
        precondition(topIndices.count == labels.count, "one list of indices per label")
        guard !labels.isEmpty else { return 0 }
        var correct = 0
        for (indices, label) in zip(topIndices, labels) where indices.prefix(k).contains(label) { correct += 1 }
        return Double(correct) / Double(labels.count)
    }

    /// scikit-learn's `balanced_accuracy_score(labels, predictions)`.
    ///
    /// Per class present in the labels, the fraction of its samples predicted as it; then the
    /// mean over those classes. Classes that are only predicted do not count.
    ///
    /// - Parameters:
    ///   - predictions: Each sample's predicted class.
    ///   - labels: Each sample's label.
    /// - Returns: The balanced accuracy in [0, 1], or 0 for no samples.
    public static func balancedAccuracy(predictions: [Int], labels: [Int]) -> Double {
        precondition(predictions.count == labels.count, "one prediction per label")
        var support: [Int: Int] = [:]
        var hits: [Int: Int] = [:]
        for (prediction, label) in zip(predictions, labels) {
            support[label, default: 0] += 1
            if prediction == label { hits[label, default: 0] += 1 }
        }
        guard !support.isEmpty else { return 0 }
        // numpy's mean of the per-class recalls in ascending class order.
        let recalls = support.sorted { $0.key < $1.key }.map { Double(hits[$0.key, default: 0]) / Double($0.value) }
        return recalls.reduce(0, +) / Double(recalls.count)
    }

    /// scikit-learn's macro-averaged recall and F1 with `labels` = the classes present in the
    /// labels, as WILDS computes iWildCam's `recall-macro_all` and `F1-macro_all`: a class that
    /// is never predicted correctly scores 0, and a prediction of a class absent from the labels
    /// lowers the recall of the sample's class without counting against any class's precision.
    ///
    /// - Parameters:
    ///   - predictions: Each sample's predicted class.
    ///   - labels: Each sample's label.
    /// - Returns: The macro recall and macro F1, each 0 for no samples.
    public static func macroRecallAndF1(predictions: [Int], labels: [Int]) -> (recall: Double, f1: Double) {
        precondition(predictions.count == labels.count, "one prediction per label")
        var truePositives: [Int: Int] = [:]
        var falsePositives: [Int: Int] = [:]
        var support: [Int: Int] = [:]
        for (prediction, label) in zip(predictions, labels) {
            support[label, default: 0] += 1
            if prediction == label {
                truePositives[label, default: 0] += 1
            } else {
                falsePositives[prediction, default: 0] += 1
            }
        }
        guard !support.isEmpty else { return (0, 0) }
        var recallSum = 0.0
        var f1Sum = 0.0
        let classes = support.sorted { $0.key < $1.key }
        for (label, count) in classes {
            let tp = Double(truePositives[label, default: 0])
            let fn = Double(count) - tp
            let fp = Double(falsePositives[label, default: 0])
            recallSum += tp / (tp + fn)
            // F = 2·tp / (2·tp + fp + fn), 0 when the denominator is 0 (zero_division).
            let denominator = 2 * tp + fp + fn
            f1Sum += denominator > 0 ? 2 * tp / denominator : 0
        }
        return (recallSum / Double(classes.count), f1Sum / Double(classes.count))
    }

    /// Mean average precision over classes for multi-label targets, as clip_benchmark's
    /// `average_precision_per_class`: per class, samples ranked by score (ties: lower index
    /// first), the precision at every positive position summed and divided by
    /// `max(positives, 1)`; then the mean over all classes.
    ///
    /// - Parameters:
    ///   - scores: `[samples, classes]` logits.
    ///   - targets: `samples × classes` 0/1 targets, row by row.
    /// - Returns: The mean average precision, or 0 for no classes.
    public static func meanAveragePrecision(scores: Tensor, targets: [Bool]) -> Double {
        precondition(scores.rank == 2 && targets.count == scores.count, "one target per score")
        let (samples, classes) = (scores.shape[0], scores.shape[1])
        guard classes > 0 else { return 0 }
        var total = 0.0
        scores.withUnsafeBufferPointer { values in
            for column in 0..<classes {
                let order = (0..<samples).sorted { a, b in
                    let (x, y) = (values[a * classes + column], values[b * classes + column])
                    if Ranking.ranksBefore(x, y) { return true }
                    if Ranking.ranksBefore(y, x) { return false }
                    return a < b
                }
                var truePositives = 0
                var precisionSum = 0.0
                for (rank, sample) in order.enumerated() where targets[sample * classes + column] {
                    truePositives += 1
                    precisionSum += Double(Float(truePositives) / Float(rank + 1))
                }
                total += precisionSum / Double(max(truePositives, 1))
            }
        }
        return total / Double(classes)
    }
}
