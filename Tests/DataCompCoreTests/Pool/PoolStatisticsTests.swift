import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct PoolStatisticsTests {
    /// Compares our JSON statistics with numpy's (pool/expected_stats.json, numpy 2.4.6):
    /// counts exactly (the basic filter's fractions are checked by BasicFilterTallyTests); quantiles, minima and maxima to 1e-12 relative (both are
    /// NumPy's linear rule in float64, so they agree to the last bit in practice); means to 1e-12
    /// relative (summation order differs).
    static func compare(_ ours: [String: Any], _ numpy: [String: Any]) {
        for key in ["rows", "shards", "shards_with_npz", "quantile_method"] {
            #expect("\(ours[key] ?? "nil")" == "\(numpy[key] ?? "missing")", "\(key)")
        }
        for column in [
            "clip_b32_similarity_score", "clip_l14_similarity_score", "caption_characters", "caption_words",
            "original_width", "original_height",
        ] {
            let a = ours[column] as? [String: Any] ?? [:]
            let b = numpy[column] as? [String: Any] ?? [:]
            #expect(!b.isEmpty, "\(column) missing from the expectations")
            for (name, value) in b {
                let expected = (value as? NSNumber)?.doubleValue ?? .nan
                let actual = (a[name] as? NSNumber)?.doubleValue ?? .nan
                #expect(
                    abs(actual - expected) <= 1e-12 * max(1, abs(expected)),
                    "\(column).\(name): \(actual) vs numpy \(expected)")
            }
        }
    }

    @Test("Statistics equal numpy's for every shard concurrency", arguments: [1, 3])
    func statisticsEqualNumPy(width: Int) async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let statistics = try await pool.statistics(concurrency: ConcurrencyBudget(width: width), maxRows: 11)
        let ours =
            try JSONSerialization.jsonObject(with: Data(statistics.jsonValue().serialized().utf8)) as? [String: Any]
            ?? [:]
        Self.compare(ours, try PoolFixtures.jsonObject("pool/expected_stats.json"))
    }

    @Test("Shards without npz are listed")
    func listsShardsWithoutNPZ() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.missingNPZ)
        let statistics = try await pool.statistics()
        #expect(statistics.shardCount == 2)
        #expect(statistics.shardsMissingNPZ == [pool.shards[1].stem])
        #expect(statistics.rowCount == 18)
    }

    @Test(
        "Quantiles follow numpy's linear interpolation",
        arguments: [
            // np.quantile(np.array(x, np.float64), q) with numpy 2.4.6.
            ([1.0, 2, 3, 4], 0.5, 2.5), ([1.0, 2, 3, 4], 0.01, 1.03), ([1.0, 2, 3, 4], 0.99, 3.9699999999999998),
            ([5.0], 0.25, 5.0), ([3.0, 1, 2, 2, 2], 0.75, 2.0), ([0.0, 10], 0.95, 9.5), ([-1.0, -0.0, 0, 1], 0.4, 0.0),
        ])
    func quantilesFollowNumPy(values: [Double], q: Double, expected: Double) {
        var distribution = PoolDistribution()
        for value in values { distribution.add(value) }
        #expect(distribution.quantile(q) == expected)
    }

    @Test("Merging distributions equals adding all values to one")
    func mergeIsAddition() {
        var random = SplitMix64(seed: 7)
        var whole = PoolDistribution()
        var left = PoolDistribution()
        var right = PoolDistribution()
        for index in 0..<1000 {
            let value = Double(Int.random(in: 0..<50, using: &random))
            whole.add(value)
            if index % 3 == 0 { left.add(value) } else { right.add(value) }
        }
        left.merge(right)
        #expect(left.count == whole.count)
        #expect(left.quantiles([0, 0.1, 0.5, 0.9, 1]) == whole.quantiles([0, 0.1, 0.5, 0.9, 1]))
        #expect(PoolDistribution().quantile(0.5) == nil)
    }
}
