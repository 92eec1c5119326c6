/// The exact distribution of a numeric column as counts of distinct values: mergeable across
/// shards and machines, with quantiles identical to NumPy's.
///
/// Memory grows with the number of *distinct* values, not with the number of rows: DataComp's
/// CLIP scores are float16-representable (at most 65,536 distinct values), image sides and
/// caption lengths are small integers.
public struct PoolDistribution: Sendable, Equatable {
    /// Distinct values (as `Double` bit patterns, `-0` folded into `+0`) and their counts.
    private var counts: [UInt64: Int] = [:]
    /// The number of values added (NaN values are not added).
    public private(set) var count = 0
    /// The number of NaN values skipped.
    public private(set) var nanCount = 0
    private var sum = 0.0

    /// Creates an empty distribution.
    public init() {}

    /// Adds one value; NaN is counted in ``nanCount`` and otherwise ignored.
    ///
    /// - Parameter value: The value.
    @inline(__always)
    public mutating func add(_ value: Double) {
        if value.isNaN {
            nanCount += 1
            return
        }
        let key = value == 0 ? 0 : value.bitPattern
        counts[key, default: 0] += 1
        count += 1
        sum += value
    }

    /// Adds the values of another distribution.
    ///
    /// - Parameter other: A distribution of the same column (for example of another shard).
    public mutating func merge(_ other: PoolDistribution) {
        counts.merge(other.counts, uniquingKeysWith: +)
        count += other.count
        nanCount += other.nanCount
        sum += other.sum
    }

    /// The mean, or `nil` when empty.
    public var mean: Double? { count == 0 ? nil : sum / Double(count) }

    /// The distinct values in ascending order with their counts.
    public var sortedValues: [(value: Double, count: Int)] {
        counts.map { (Double(bitPattern: $0.key), $0.value) }.sorted { $0.value < $1.value }
    }

    /// The `q` quantile with linear interpolation — NumPy's default `np.quantile(x, q)`
    /// (`method="linear"`, Hyndman & Fan type 7) computed in double precision, that is
    /// `np.quantile(np.asarray(x, np.float64), q)`: with the values sorted, `h = (n − 1)·q`,
    /// `i = ⌊h⌋`, `g = h − i`, the result is `x[i] + (x[i+1] − x[i])·g` (NumPy's form
    /// `x[i+1] − (x[i+1] − x[i])·(1 − g)` when `g ≥ 0.5`).
    ///
    /// - Parameter q: The quantile in `0...1`.
    /// - Returns: The quantile, or `nil` when the distribution is empty.
    public func quantile(_ q: Double) -> Double? {
        quantiles([q]).first ?? nil
    }

    /// Several quantiles at once (one sort); see ``quantile(_:)``.
    ///
    /// - Parameter qs: Quantiles in `0...1`.
    /// - Returns: One value per quantile, `nil` when the distribution is empty.
    public func quantiles(_ qs: [Double]) -> [Double?] {
        guard count > 0 else { return qs.map { _ in nil } }
        let sorted = sortedValues
        // The value at 0-based rank `rank` of the sorted multiset.
        var cumulative: [Int] = []
        cumulative.reserveCapacity(sorted.count)
        var running = 0
        for entry in sorted {
            running += entry.count
            cumulative.append(running)
        }
        func value(atRank rank: Int) -> Double {
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > rank { high = middle } else { low = middle + 1 }
            }
            return sorted[low].value
        }
        return qs.map { q in
            precondition(q >= 0 && q <= 1, "quantile \(q) outside 0...1")
            let h = Double(count - 1) * q
            let below = min(Int(h.rounded(.down)), count - 1)
            let above = min(below + 1, count - 1)
            let gamma = h - Double(below)
            let a = value(atRank: below)
            let b = value(atRank: above)
            let difference = b - a
            return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
        }
    }

    /// The smallest value, or `nil` when empty.
    public var minimum: Double? { counts.keys.lazy.map { Double(bitPattern: $0) }.min() }
    /// The largest value, or `nil` when empty.
    public var maximum: Double? { counts.keys.lazy.map { Double(bitPattern: $0) }.max() }
}
