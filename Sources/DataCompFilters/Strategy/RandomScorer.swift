import DataCompCore

/// A uniform random score in [0, 1) per sample, derived from its uid and a seed only, so that it
/// does not depend on shard order, batch size or concurrency.
///
/// With ``ScoreSelection/topFraction(_:)`` it gives the paper's random-subset baseline (see
/// ``ScoreFilter/randomSubset(fraction:seed:)``). Scores have 24 random bits (a `Float`), so two
/// samples share a score with probability 2⁻²⁴ and a tie at the threshold keeps both.
public struct RandomScorer: SampleScorer, Hashable {
    /// The seed.
    public let seed: UInt64

    /// Scores derived from `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [.uid] }

    /// How reports name it.
    public var description: String { "random score (seed \(seed))" }

    /// The score of one uid: SplitMix64 seeded with the seed, on the stream of the uid.
    public func score(of uid: SampleID) -> Float {
        var generator = SplitMix64(seed: seed ^ uid.high, stream: uid.low)
        return Float(generator.next() >> 40) / Float(1 << 24)
    }

    /// One score per row of `batch`; see ``SampleScorer/scores(for:)``.
    public func scores(for batch: PoolBatch) throws -> [Float] { batch.uids.map(score(of:)) }
}

extension ScoreFilter {
    /// A random subset of the pool: the top `fraction` by ``RandomScorer`` with `seed`, the
    /// paper's random-subset baseline (about `fraction` of the pool, exactly `int(N × fraction) + 1`
    /// samples unless scores tie at the threshold).
    public static func randomSubset(fraction: Double, seed: UInt64 = 0) -> ScoreFilter {
        ScoreFilter(RandomScorer(seed: seed), .topFraction(fraction))
    }
}
