import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct BasicFilterRulesTests {
    @Test(
        "Size rules follow baselines.py with NumPy's division",
        arguments: [
            // (width, height, min side >= 200, max/min <= 3) as pandas/numpy evaluate them.
            (200, 200, true, true), (199, 597, false, true), (600, 200, true, true), (601, 200, true, false),
            (200, 601, true, false),
            (0, 0, false, false), (0, 500, false, false), (1000, 334, true, true), (1000, 333, true, false),
        ])
    func sizeRules(width: Int, height: Int, minimumSide: Bool, aspect: Bool) {
        #expect(BasicFilterRules.passesMinimumSide(width: width, height: height) == minimumSide)
        #expect(BasicFilterRules.passesAspectRatio(width: width, height: height) == aspect)
    }

    @Test("Caption rules count Python characters and words")
    func captionRules() {
        // len("e\u0301 a b") == 6 in Python (5 graphemes in Swift); "x\u3000y z" splits into 3 words.
        let captions = StringColumn(["e\u{301} a b", "x\u{3000}y z", "two words", "tiny"])
        #expect(captions.map { _ in 0 }.count == 4)
        #expect(BasicFilterRules.passesCharacterCount(captions.unicodeScalarCount(at: 0)))
        #expect(captions[0].count == 5)
        #expect(BasicFilterRules.passesWordCount(captions.wordCount(at: 1)))
        #expect(!BasicFilterRules.passesWordCount(captions.wordCount(at: 2)))
        #expect(!BasicFilterRules.passesCharacterCount(captions.unicodeScalarCount(at: 3)))
    }
}
