/// Accuracy per group of samples, as WILDS' `standard_group_eval` computes it with DataComp's
/// replacement of `avg_over_groups`: groups are the values of one metadata column
/// (`0 ... max`), a group's value is the mean of its samples' 0/1 correctness, empty groups are
/// reported with count 0 and value NaN, and the worst group is the minimum over non-empty groups.
///
/// Values are float32 means, as PyTorch computes them, widened to `Double`.
public struct GroupedAccuracy: Sendable, Hashable {
    /// The mean correctness over all samples (`acc_avg`).
    public var average: Double
    /// One entry per group code `0 ... max`: its mean correctness (NaN when empty) and count.
    public var groups: [(value: Double, count: Int)]
    /// The smallest value among non-empty groups (`acc_wg`), 0 without samples.
    public var worst: Double

    /// Groups 0/1 correctness by group code.
    ///
    /// - Parameters:
    ///   - correct: Each sample's correctness.
    ///   - codes: Each sample's group code (a metadata value).
    ///   - groupCount: The number of groups, at least `max(codes) + 1` (the default): WILDS'
    ///     `CombinatorialGrouper` over several fields has the product of their cardinalities.
    /// - Throws: `DataCompError` with code `invalidArgument` for a negative code (WILDS
    ///   refuses them too), a `groupCount` below `max(codes) + 1`, or mismatched lengths.
    public init(correct: [Bool], groups codes: [Int], groupCount: Int? = nil) throws {
        guard correct.count == codes.count else {
            throw DataCompError(
                .rowCountMismatch,
                "\(correct.count) predictions but \(codes.count) metadata rows; every sample needs both")
        }
        if let negative = codes.first(where: { $0 < 0 }) {
            throw DataCompError(
                .invalidArgument, "group code \(negative) is negative; WILDS groups are the codes 0 ... max")
        }
        let groupCount = groupCount ?? (codes.max() ?? -1) + 1
        guard groupCount >= (codes.max() ?? -1) + 1 else {
            throw DataCompError(
                .invalidArgument, "group code \(codes.max() ?? 0) is beyond the \(groupCount) groups")
        }
        var hits = [Int](repeating: 0, count: groupCount)
        var counts = [Int](repeating: 0, count: groupCount)
        for (isCorrect, code) in zip(correct, codes) {
            counts[code] += 1
            if isCorrect { hits[code] += 1 }
        }
        average = Self.mean(correct.lazy.filter { $0 }.count, correct.count)
        groups = zip(hits, counts).map { hit, count in (count == 0 ? .nan : Self.mean(hit, count), count) }
        worst = groups.filter { $0.count > 0 }.map(\.value).min() ?? 0
    }

    /// A float32 mean of `hits` ones among `count` values, as `tensor.float().mean()`.
    static func mean(_ hits: Int, _ count: Int) -> Double {
        count == 0 ? 0 : Double(Float(hits) / Float(count))
    }

    /// Whether two groupings have bitwise-equal values (NaN equals NaN) and equal counts.
    public static func == (lhs: GroupedAccuracy, rhs: GroupedAccuracy) -> Bool {
        lhs.average.bitPattern == rhs.average.bitPattern && lhs.worst.bitPattern == rhs.worst.bitPattern
            && lhs.groups.count == rhs.groups.count
            && zip(lhs.groups, rhs.groups).allSatisfy {
                $0.count == $1.count && $0.value.bitPattern == $1.value.bitPattern
            }
    }

    /// Hashes the values' bit patterns and the counts.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(average.bitPattern)
        hasher.combine(worst.bitPattern)
        for group in groups {
            hasher.combine(group.value.bitPattern)
            hasher.combine(group.count)
        }
    }
}
