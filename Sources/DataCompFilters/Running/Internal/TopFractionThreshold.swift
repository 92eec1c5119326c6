/// DataComp's `get_threshold` without sorting: `-np.sort(-scores)[n]` with
/// `n = int(len(scores) * fraction)`, found by a two-pass radix selection over the scores as
/// they were collected shard by shard (no copy, 4 bytes per sample in all).
///
/// NumPy's sort puts NaN after every number, so NaN ranks below every score here too; -0.0 and
/// 0.0 compare equal, so they share a rank. At fraction 1, where NumPy would index past the end,
/// the threshold is the smallest score.
enum TopFractionThreshold {
    /// The number of samples ranked above the threshold: `int(count * fraction)` as Python
    /// computes it (a float64 product, truncated).
    static func rank(count: Int, fraction: Double) -> Int {
        min(Int((Double(count) * fraction).rounded(.towardZero)), count - 1)
    }

    /// The (rank+1)-th largest of all `chunks` together, NaN last.
    ///
    /// - Precondition: The chunks hold at least `rank + 1` scores.
    static func threshold(_ chunks: [[Float]], rank: Int) -> Float {
        let total = chunks.reduce(0) { $0 + $1.count }
        precondition(rank >= 0 && rank < total, "rank \(rank) outside 0..<\(total)")
        // The rank-th key from the top, in a key order where larger scores have larger keys.
        var remaining = rank
        var high = [Int](repeating: 0, count: 1 << 16)
        for chunk in chunks {
            for score in chunk { high[Int(key(score) >> 16)] += 1 }
        }
        var bucket = (1 << 16) - 1
        while remaining >= high[bucket] {
            remaining -= high[bucket]
            bucket -= 1
        }
        var low = [Int](repeating: 0, count: 1 << 16)
        for chunk in chunks {
            for score in chunk {
                let k = key(score)
                if Int(k >> 16) == bucket { low[Int(k & 0xFFFF)] += 1 }
            }
        }
        var lowBucket = (1 << 16) - 1
        while remaining >= low[lowBucket] {
            remaining -= low[lowBucket]
            lowBucket -= 1
        }
        return score(ofKey: UInt32(bucket) << 16 | UInt32(lowBucket))
    }

    /// An order-preserving key: larger scores have larger keys, NaN has key 0 (below -inf), and
    /// -0.0 the key of 0.0.
    static func key(_ score: Float) -> UInt32 {
        if score.isNaN { return 0 }
        let bits = score == 0 ? 0 : score.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    static func score(ofKey key: UInt32) -> Float {
        if key == 0 { return .nan }
        return Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }
}
