/// faiss's `RandomGenerator`: a `std::mt19937` seeded with the low 32 bits of the seed.
///
/// As `faiss/utils/random.cpp`, so that k-means picks the same initial centroids and splits the
/// same empty clusters as faiss. Its stream equals NumPy's legacy `RandomState(seed)`.
struct FaissRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: Int) {
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    /// The next 32-bit output of MT19937.
    mutating func next() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            var value = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { value ^= 0x9908_B0DF }
            state[i] = value
        }
        index = 0
    }

    /// `rand_int(max)`: `mt() % max` (no rejection, as faiss).
    mutating func nextInt(below bound: Int) -> Int { Int(next() % UInt32(truncatingIfNeeded: bound)) }

    /// `rand_float()`: `Float(mt()) / Float(mt.max())`, which is `Float(mt()) · 2⁻³²` (can be 1).
    mutating func nextFloat() -> Float { Float(next()) * 0x1p-32 }

    /// `rand_perm(n, seed)`, of which only the first `prefix` positions are computed (each is
    /// final once its step has run).
    static func permutation(count: Int, seed: Int, prefix: Int) -> [Int] {
        var permutation = Array(0..<count)
        var random = FaissRandom(seed: seed)
        for i in 0..<min(prefix, count - 1) {
            let other = i + random.nextInt(below: count - i)
            permutation.swapAt(i, other)
        }
        return permutation
    }
}
