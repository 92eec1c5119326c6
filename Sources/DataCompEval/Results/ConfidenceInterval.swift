/// A 95% percentile-bootstrap interval of a metric: the metric recomputed on test sets drawn
/// with replacement from the evaluated one (seeded), its 2.5th and 97.5th percentiles.
///
/// DataComp reports single numbers; its README warns that training seeds alone move the average
/// by up to 0.006. The interval here covers the other source of noise, the finite test set.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The 2.5th percentile.
    public var lower: Double
    /// The 97.5th percentile.
    public var upper: Double
    /// The number of resamples.
    public var resamples: Int
    /// The seed of the resampling.
    public var seed: UInt64

    /// Creates an interval.
    ///
    /// - Parameters:
    ///   - lower: The lower bound.
    ///   - upper: The upper bound.
    ///   - resamples: How many resamples it came from.
    ///   - seed: The seed used.
    public init(lower: Double, upper: Double, resamples: Int, seed: UInt64) {
        self.lower = lower
        self.upper = upper
        self.resamples = resamples
        self.seed = seed
    }

    /// Half the interval's width: the uncertainty of the metric.
    public var halfWidth: Double { (upper - lower) / 2 }

    /// Bootstraps a metric over `count` test units.
    ///
    /// - Parameters:
    ///   - count: The number of units resampled (images, captions' images, instances).
    ///   - resamples: How many resamples; 0 or no units gives `nil`.
    ///   - seed: The seed; the same seed gives the same interval.
    ///   - metric: Computes the metric of a resample given as unit indices (with repeats).
    /// - Returns: The interval, or `nil`.
    public static func bootstrap(
        count: Int, resamples: Int, seed: UInt64, metric: ([Int]) -> Double
    ) -> ConfidenceInterval? {
        guard count > 0, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var indices = [Int](repeating: 0, count: count)
        for _ in 0..<resamples {
            for position in 0..<count { indices[position] = Int.random(in: 0..<count, using: &generator) }
            let value = metric(indices)
            if !value.isNaN { values.append(value) }
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        return ConfidenceInterval(
            lower: percentile(values, 0.025), upper: percentile(values, 0.975), resamples: resamples, seed: seed)
    }

    /// numpy's default (linear) percentile of sorted values.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        let weight = position - Double(low)
        return sorted[low] + (sorted[high] - sorted[low]) * weight
    }
}
