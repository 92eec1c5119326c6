import DataCompCore
import Testing

@Suite struct RowMaskTests {
    @Test("Set operations and population counts equal the Bool reference", arguments: [0, 1, 63, 64, 65, 130, 1000])
    func setOperations(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        let a = (0..<count).map { _ in random.next() & 1 == 0 }
        let b = (0..<count).map { _ in random.next() % 3 == 0 }
        let maskA = RowMask(a)
        let maskB = RowMask(b)
        #expect(Array(maskA) == a)
        #expect(Array(maskA & maskB) == zip(a, b).map { $0 && $1 })
        #expect(Array(maskA | maskB) == zip(a, b).map { $0 || $1 })
        #expect(Array(~maskA) == a.map { !$0 })
        #expect(Array(maskA.subtracting(maskB)) == zip(a, b).map { $0 && !$1 })
        #expect(maskA.populationCount == a.filter { $0 }.count)
        #expect((~maskA).populationCount == count - maskA.populationCount, "bits past the end stay clear")
        #expect(maskA.selectedIndices == a.indices.filter { a[$0] })
        #expect(RowMask(count: count, repeating: true).isAllSelected)
        var mutable = maskA
        mutable &= maskB
        mutable |= RowMask(count: count)
        #expect(mutable == maskA & maskB)
        if count > 0 {
            mutable[count - 1] = true
            #expect(mutable[count - 1])
        }
    }

    @Test("A mask from a predicate calls it once per row, in order")
    func predicateOrder() {
        var seen: [Int] = []
        let mask = RowMask(count: 70) { row in
            seen.append(row)
            return row % 7 == 0
        }
        #expect(seen == Array(0..<70))
        #expect(mask.populationCount == 10)
        #expect(mask.description == "RowMask(10 of 70 selected)")
    }
}
