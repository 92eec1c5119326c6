import DataCompCore
import Testing

@Suite struct PoolBatchTests {
    static let score = PoolColumn.derived("score", .float)
    static let language = PoolColumn.derived("language", .string)

    static func batch() -> PoolBatch {
        PoolBatch(
            shardIndex: 2, rows: 10..<15,
            columns: [
                .uid: .identifiers((0..<5).map { SampleID(high: 0, low: UInt64($0)) }),
                .text: .strings(StringColumn(["a cat", "", "two dogs on a beach", "é", "x y z"])),
                .clipL14Score: .floats([0.1, 0.2, 0.3, 0.4, 0.5]),
                .faceBoxes: .faceBoxes(
                    PoolFaceBoxes([[], [[0, 0, 1, 1]], [], [[0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.6, 0.6]], []])),
            ])
    }

    @Test("Columns are keyed by PoolColumn and read with typed accessors")
    func typedAccess() {
        let batch = Self.batch()
        #expect(batch.count == 5)
        #expect(batch.shardRows.range == 10..<15)
        #expect(batch.columns == [.uid, .text, .clipL14Score, .faceBoxes])
        #expect(batch.clipL14Scores == [0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(batch.texts[2] == "two dogs on a beach")
        #expect(batch.contains(.text) && !batch.contains(.url))
        #expect(batch.validity(of: .text) == nil)
    }

    @Test("Derived columns are added; selecting narrows every column and keeps shard rows")
    func addingAndSelecting() {
        let batch = Self.batch()
        let words = RowMask(count: batch.count) { batch.texts.wordCount(at: $0) >= 2 }
        let extended = batch.adding(Self.score, .floats([5, 4, 3, 2, 1]))
            .adding(
                Self.language, .strings(StringColumn(["en", "", "en", "fr", "de"])),
                validity: RowMask([true, false, true, true, true]))
        let selected = extended.selecting(words & ~RowMask([false, false, false, false, true]))
        #expect(selected.count == 2)
        #expect(Array(selected.shardRows) == [10, 12])
        #expect(selected.shardIndex == 2)
        #expect(selected.uids.map(\.low) == [0, 2])
        #expect(selected.floats(Self.score) == [5, 3])
        #expect(Array(selected.texts) == ["a cat", "two dogs on a beach"])
        #expect(selected.faceBoxes.boxes(at: 0).isEmpty && selected.faceBoxes.boxCount(at: 1) == 0)
        #expect(Array(selected.strings(Self.language)) == ["en", "en"])
        #expect(selected.validity(of: Self.language) == nil, "the null row was dropped")
        let withNull = extended.selecting(RowMask([false, true, false, true, false]))
        #expect(withNull.validity(of: Self.language) == RowMask([false, true]))
        #expect(withNull.faceBoxes.boxes(at: 1) == [[0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.6, 0.6]])
        #expect(batch.selecting(RowMask(count: 5, repeating: true)).shardRows.range == 10..<15)
    }

    @Test("Slicing shares storage and shifts shard rows")
    func slicing() {
        let sliced = Self.batch().sliced(1..<4)
        #expect(sliced.shardRows.range == 11..<14)
        #expect(sliced.clipL14Scores == [0.2, 0.3, 0.4])
        #expect(sliced.faceBoxes.boxCount(at: 2) == 2)
    }
}
