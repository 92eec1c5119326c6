import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct SubsetTests {
    @Test(
        "Sorting chunks in place equals sorting their concatenation (random, duplicated, sorted, reversed, tiny)",
        arguments: [0, 1, 2, 17, 1000, 100_000])
    func sortsChunksInPlace(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        let random = (0..<count).map { _ in SampleID(high: generator.next() % 7, low: generator.next() % 1000) }
        let ascending = random.sorted()
        for ids in [
            random, ascending, Array(ascending.reversed()),
            [SampleID](repeating: SampleID(high: 1, low: 2), count: count),
        ] {
            var chunks = [Array(ids.prefix(count / 3)), [], Array(ids.dropFirst(count / 3))]
            let subset = Subset(sortingChunks: &chunks)
            #expect(Array(subset) == ids.sorted())
            #expect(chunks.allSatisfy { $0.isEmpty })
        }
    }

    @Test("Counts occurrences like two searchsorted calls")
    func countsOccurrences() throws {
        let ids = NumPyFixtures.uidSet(seed: 5, count: 20_000)
        let subset = Subset(ids)
        var expected: [SampleID: Int] = [:]
        for id in ids { expected[id, default: 0] += 1 }
        #expect(expected.values.contains { $0 > 1 })
        for (id, count) in expected {
            #expect(subset.count(of: id) == count)
            #expect(subset.contains(id))
        }
        var random = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            let probe = SampleID(high: random.next(), low: random.next())
            #expect(subset.count(of: probe) == (expected[probe] ?? 0))
        }
        #expect(Array(subset) == ids.sorted())
    }

    @Test("Handles empty subsets and the extreme identifiers")
    func handlesEdges() throws {
        let empty = Subset([SampleID]())
        #expect(empty.count(of: SampleID(high: 0, low: 0)) == 0)
        #expect(empty.equalRange(of: SampleID(high: 0, low: 0)) == 0..<0)
        let extremes = Subset([
            SampleID(high: .max, low: .max), SampleID(high: 0, low: 0), SampleID(high: .max, low: .max),
        ])
        #expect(extremes.count(of: SampleID(high: .max, low: .max)) == 2)
        #expect(extremes.equalRange(of: SampleID(high: 0, low: 0)) == 0..<1)
        #expect(!extremes.contains(SampleID(high: 0, low: 1)))
    }

    @Test("Validates already-sorted input")
    func validatesSortedInput() throws {
        let a = SampleID(high: 1, low: 2)
        let b = SampleID(high: 1, low: 3)
        #expect(try Subset(sorted: [a, a, b]).count(of: a) == 2)
        #expect { _ = try Subset(sorted: [a, b, a]) } throws: { ($0 as? DataCompError)?.position == .row(2) }
    }
}
