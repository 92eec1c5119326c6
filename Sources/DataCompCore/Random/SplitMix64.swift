/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seeded random number generator, the
/// package's source of randomness wherever results must be reproducible.
///
/// Determinism is a design rule of DataComp for Swift: the same inputs and seed give the same
/// subset, shards and training trajectory. Every API that draws random numbers takes a generator
/// (or a seed for one), and the package's own randomness comes from this type. The algorithm is
/// three lines, so a Python script can reproduce a Swift run's numbers exactly:
///
/// ```python
/// def splitmix64(state):
///     state = (state + 0x9E3779B97F4A7C15) % 2**64
///     z = state
///     z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
///     z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
///     return state, z ^ (z >> 31)
/// ```
///
/// Parallel work that must not depend on scheduling gives each item its own stream:
///
/// ```swift
/// var generator = SplitMix64(seed: 42, stream: UInt64(shardIndex))   // independent of other shards
/// let crop = preprocessor.randomResizedCrop(width: 640, height: 480, using: &generator)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator from a seed.
    ///
    /// - Parameter seed: Any value; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// Creates the generator of one stream of a seed: streams of one seed are statistically
    /// independent, and stream 0 is not the same as ``init(seed:)``.
    ///
    /// - Parameters:
    ///   - seed: The run's seed.
    ///   - stream: The stream, for example a shard or worker index.
    public init(seed: UInt64, stream: UInt64) {
        // Derive the stream's starting state from both values through one SplitMix64 step each,
        // so that neighbouring (seed, stream) pairs start far apart.
        var mixer = SplitMix64(seed: seed)
        let base = mixer.next()
        var streamMixer = SplitMix64(seed: stream ^ 0xD1B5_4A32_D192_ED03)
        state = base ^ streamMixer.next()
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
