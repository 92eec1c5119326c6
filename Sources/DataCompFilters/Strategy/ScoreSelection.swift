import DataCompCore

/// How a ``ScoreFilter`` turns scores into keep decisions.
public enum ScoreSelection: Sendable, Hashable, CustomStringConvertible {
    /// Keep the samples whose score is at least the threshold (`score >= threshold` in `Float`,
    /// as DataComp compares its float32 columns).
    case atLeast(Float)
    /// Keep the top fraction of the **whole pool** by score, as DataComp's `get_threshold`:
    /// with `n = Int(poolSize × fraction)` the threshold is the (n+1)-th largest score of the
    /// pool, and every sample scoring at least that much is kept (ties included). The fraction
    /// is in (0, 1]; at 1 the threshold is the smallest score (DataComp raises an `IndexError`).
    case topFraction(Double)
    /// Keep every sample.
    case all

    /// How reports name it.
    public var description: String {
        switch self {
        case .atLeast(let threshold): "at least \(threshold)"
        case .topFraction(let fraction): "in the top \(Self.percent(fraction)) of the pool"
        case .all: "any value"
        }
    }

    static func percent(_ fraction: Double) -> String {
        let percent = fraction * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }
}

/// A selection that needs the whole pool before any sample can be decided: the top fraction of
/// the pool by a score.
///
/// The runner scores every sample of the pool first (4 bytes per sample), computes the
/// threshold exactly as DataComp's `get_threshold`, and hands it to the strategy through
/// ``FilterContext/threshold(for:)``.
public struct PoolSelection: Sendable, CustomStringConvertible {
    /// The score ranked over the pool.
    public let scorer: any SampleScorer
    /// The fraction of the pool to keep, in (0, 1].
    public let fraction: Double

    /// The top `fraction` of the pool by `scorer`.
    public init(scorer: any SampleScorer, fraction: Double) {
        self.scorer = scorer
        self.fraction = fraction
    }

    /// Identifies the selection in a run: its score and fraction.
    public var id: String { "\(scorer) top \(fraction)" }

    /// How reports name it.
    public var description: String { "\(scorer) in the top \(ScoreSelection.percent(fraction)) of the pool" }
}
