import Testing
import _DataCompTestSupport

@testable import DataCompFilters

@Suite struct TopFractionThresholdTests {
    /// Expected: numpy 2.4.6's `-np.sort(-scores)[int(len(scores) * fraction)]` and
    /// `(scores >= threshold).sum()` (filters_fixtures.py), bit for bit: fp16-quantised scores
    /// with ties, NaN, ±0 and ±inf, a single score.
    @Test("The threshold is numpy's -np.sort(-scores)[n], bit for bit, in any split into chunks")
    func matchesNumPy() throws {
        let cases = try FilterExpectations.thresholdCases()
        #expect(cases.count == 18)
        for testCase in cases {
            let rank = TopFractionThreshold.rank(count: testCase.scores.count, fraction: testCase.fraction)
            for chunkCount in [1, 3, 7] {
                let size = (testCase.scores.count + chunkCount - 1) / chunkCount
                let chunks = stride(from: 0, to: testCase.scores.count, by: size).map {
                    Array(testCase.scores[$0..<min($0 + size, testCase.scores.count)])
                }
                let value = TopFractionThreshold.threshold(chunks, rank: rank)
                let expected = testCase.threshold
                #expect(
                    value.isNaN ? expected.isNaN : value == expected,
                    "fraction \(testCase.fraction) of \(testCase.scores.count) scores in \(chunkCount) chunks")
                #expect(testCase.scores.filter { $0 >= value }.count == testCase.kept)
            }
        }
    }

    @Test("The rank is Python's int(count * fraction); fraction 1 ranks the smallest score")
    func rank() {
        #expect(TopFractionThreshold.rank(count: 1000, fraction: 0.3) == 300)
        #expect(TopFractionThreshold.rank(count: 10, fraction: 0.29) == 2)
        #expect(TopFractionThreshold.rank(count: 7, fraction: 1) == 6)
        #expect(TopFractionThreshold.rank(count: 3, fraction: 0.999) == 2)
        #expect(TopFractionThreshold.threshold([[0.2, 0.9], [-1, 0.4]], rank: 3) == -1)
    }
}
