import DataCompCore
import Testing

@Suite struct StringColumnTests {
    @Test(
        "Python's len and str.split() counts, not Swift's grapheme count",
        arguments: [
            // (text, len(text), len(text.split())) from CPython 3.11.7.
            ("e\u{301}", 2, 1), ("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", 5, 1), ("\u{1100}\u{1161}", 2, 1),
            ("a\u{A0}b", 3, 2), ("a\u{2003}b\u{3000}c", 5, 3), ("", 0, 0), ("\n\t x \r", 6, 1),
        ])
    func pythonCounts(text: String, length: Int, words: Int) {
        let column = StringColumn(["padding", text])
        #expect(column.unicodeScalarCount(at: 1) == length)
        #expect(column.wordCount(at: 1) == words)
        #expect(column.unicodeScalarCounts() == [7, length])
        #expect(column.wordCounts() == [1, words])
        #expect(column.words(at: 1).count == words)
    }

    /// Expected: CPython 3.11.7's `text.split()`.
    @Test("words(at:) is Python's str.split()")
    func pythonWords() {
        let column = StringColumn(["  a\u{A0}b\tc\u{2003}d\u{1C}e  \n", "dog, cat.", "", "\u{85}x\u{3000}"])
        #expect(column.words(at: 0) == ["a", "b", "c", "d", "e"])
        #expect(column.words(at: 1) == ["dog,", "cat."])
        #expect(column.words(at: 2).isEmpty)
        #expect(column.words(at: 3) == ["x"])
    }

    @Test("Slices share the buffer; gathering compacts it; equality compares strings")
    func slicesAndGathering() {
        let column = StringColumn(["zero", "one", "two", "three"])
        let slice = column.sliced(1..<3)
        #expect(Array(slice) == ["one", "two"])
        #expect(slice.bytes.count == column.bytes.count)
        let gathered = column.gathering([3, 0])
        #expect(Array(gathered) == ["three", "zero"])
        #expect(gathered.bytes.count == 9)
        #expect(gathered == StringColumn(["three", "zero"]))
        #expect(column.utf8(at: 2).elementsEqual("two".utf8))
        #expect(column.withUTF8(at: 3) { $0.count } == 5)
        // Invalid UTF-8 decodes with replacement characters, as String(decoding:as:).
        let invalid = StringColumn(bytes: [0x61, 0xFF, 0x62], offsets: [0, 3])
        #expect(invalid[0] == "a\u{FFFD}b")
        #expect(invalid.unicodeScalarCount(at: 0) == 3)
    }
}
