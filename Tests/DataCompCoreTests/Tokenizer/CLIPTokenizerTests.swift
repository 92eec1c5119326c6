import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Expected ids come from OpenCLIP 3.3.0's `SimpleTokenizer` (reference/openclip.md §1.7 and
/// Scripts/fixtures/tokenizer_fixtures.py with ftfy 6.3.1); token ids are compared exactly.
@Suite struct CLIPTokenizerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var text: String
        var ids: [Int]
        var testDescription: String { text.debugDescription }
    }

    // openclip.md §1.7 (open_clip 3.3.0, computed); ids without <start_of_text>/<end_of_text>.
    static let vectors: [Vector] = [
        Vector(text: "a photo of a cat.", ids: [320, 1125, 539, 320, 2368, 269]),
        Vector(text: "A Photo of a CAT!!", ids: [320, 1125, 539, 320, 2368, 748]),
        Vector(text: "a photo of a dog.", ids: [320, 1125, 539, 320, 1929, 269]),
        Vector(text: "a diagram.", ids: [320, 22697, 269]),
        Vector(
            text: "Hello, world! It's 2024 &amp; we're OK",
            ids: [3306, 267, 1002, 256, 585, 568, 273, 271, 273, 275, 261, 649, 982, 2481]),
        Vector(text: "naïve café 東京", ids: [1097, 35689, 563, 15304, 48338, 21078, 361]),
        Vector(text: "  multiple   spaces\tand\nnewlines ", ids: [6470, 9006, 537, 1218, 3418]),
        Vector(text: "don't", ids: [847, 713]),
        Vector(text: "DON'T", ids: [847, 713]),
        Vector(text: "1234", ids: [272, 273, 274, 275]),
        Vector(text: "'sun is up", ids: [568, 2271, 533, 705]),
        Vector(text: "e-mail: x@y.com", ids: [324, 268, 2614, 281, 343, 287, 344, 269, 2464]),
        Vector(text: "cafe\u{301}", ids: [15304]),
    ]

    @Test("Encodes the OpenCLIP test vectors", arguments: vectors)
    func encodesTestVectors(_ vector: Vector) throws {
        let tokenizer = try StandardVocabulary.load()
        #expect(tokenizer.encode(vector.text) == vector.ids)
        let row = tokenizer.tokenize(vector.text)
        let expected = [Int64(49406)] + vector.ids.map(Int64.init) + [49407]
        #expect(row == expected + [Int64](repeating: 0, count: 77 - expected.count))
    }

    @Test("Truncates an over-long caption and makes its last kept token end-of-text")
    func truncatesOverLongCaption() throws {
        let tokenizer = try StandardVocabulary.load()
        let text = String(repeating: "a ", count: 100)
        // openclip.md §1.7: 49406, 320 ×75, 49407.
        #expect(tokenizer.tokenize(text) == [49406] + [Int64](repeating: 320, count: 75) + [49407])
        #expect(tokenizer.encode(text).count == 100)
    }

    @Test("Honours ftfy's line-wide '<' rule when it stops early on a long caption")
    func honoursLineRuleOnLongCaptions() throws {
        let tokenizer = try StandardVocabulary.load()
        let body = "&amp;amp;lt; " + String(repeating: "cat ", count: 100)
        // open_clip.tokenize (3.3.0, ftfy 6.3.1): with "<" at the end of the line ftfy does not
        // unescape, so "&lt;" survives OpenCLIP's two passes; without it ftfy unescapes to "<".
        #expect(Array(tokenizer.tokenize(body + "<b>")[0..<8]) == [49406, 261, 3333, 282, 2368, 2368, 2368, 2368])
        #expect(Array(tokenizer.tokenize(body)[0..<8]) == [49406, 283, 2368, 2368, 2368, 2368, 2368, 2368])
    }

    @Test("Applies OpenCLIP's truncation rule at small context lengths")
    func truncatesAtSmallContextLengths() throws {
        let tokenizer = try StandardVocabulary.load()
        // open_clip.tokenize(["a photo", ""], context_length=n) for n = 1, 2, 3 (open_clip 3.3.0).
        #expect(tokenizer.tokenize(["a photo", ""], contextLength: 1).ids == [49407, 49407])
        #expect(tokenizer.tokenize(["a photo", ""], contextLength: 2).ids == [49406, 49407, 49406, 49407])
        #expect(tokenizer.tokenize(["a photo", ""], contextLength: 3).ids == [49406, 320, 49407, 49406, 49407, 0])
    }

    @Test("Lays out the 49,408-entry vocabulary as OpenCLIP does")
    func laysOutVocabulary() throws {
        let tokenizer = try StandardVocabulary.load()
        #expect(tokenizer.vocabularySize == 49408)
        #expect(tokenizer.startOfTextID == 49406)
        #expect(tokenizer.endOfTextID == 49407)
        // openclip.md §1.4.
        let expected: [(Int, String)] = [
            (0, "!"), (93, "~"), (94, "¡"), (187, "ÿ"), (188, "Ā"), (255, "Ń"), (256, "!</w>"),
            (512, "in"), (513, "th"), (49405, "jekyll</w>"), (49406, "<start_of_text>"), (49407, "<end_of_text>"),
        ]
        for (id, symbol) in expected { #expect(tokenizer.symbol(for: id) == symbol, "id \(id)") }
        #expect(tokenizer.symbol(for: 49408) == nil)
        #expect(tokenizer.symbol(for: -1) == nil)
    }

    @Test("Reproduces the pre-tokenisation quirks")
    func reproducesPreTokenizationQuirks() throws {
        let tokenizer = try StandardVocabulary.load()
        func symbols(_ text: String) -> [String] { tokenizer.encode(text).compactMap { tokenizer.symbol(for: $0) } }
        // regex 2026.11.19 findall with OpenCLIP's pattern (IGNORECASE), then OpenCLIP's BPE.
        #expect(symbols("rock'n'roll") == ["rock</w>", "'</w>", "n</w>", "'</w>", "roll</w>"])
        // ",,!!" is one pre-token that BPE splits; "😀😀" is one pre-token and one id.
        #expect(symbols(",,!!") == [",,", "!!</w>"])
        #expect(tokenizer.encode("😀😀") == [34503])
        #expect(tokenizer.encode("<end_of_text>") == [49407])
        #expect(tokenizer.encode("x<START_OF_TEXT>") == [343, 49406])
        // "ſ" matches "s" under IGNORECASE, so this is one pre-token, but not the special id.
        #expect(!tokenizer.encode("<ſtart_of_text>").contains(49406))
        // U+0345 is matched by no alternative under IGNORECASE and disappears like whitespace.
        #expect(tokenizer.encode("ab\u{345}cd") == tokenizer.encode("ab cd"))
    }

    @Test("Cleans text as OpenCLIP's clean='lower' does")
    func cleansText() {
        // Python 3.11 html.unescape twice, str.split()/join, str.lower() (ftfy 6.3.1 leaves these alone).
        #expect(CLIPTokenizer.cleaned("<b>&amp;lt;</b>") == "<b><</b>")
        #expect(
            CLIPTokenizer.cleaned("&ampamp; &#x41;&#65 &#150; &#0; &#x110000; &copycat")
                == "& aa – \u{FFFD} \u{FFFD} ©cat")
        // ftfy deletes U+001C (a control character) before OpenCLIP would split on it.
        #expect(CLIPTokenizer.cleaned(" a\u{A0}\u{3000}b\u{1C}c\u{200B}d\u{2028}e ") == "a bc\u{200B}d e")
        #expect(CLIPTokenizer.cleaned("İSTANBUL") == "i\u{307}stanbul")
        #expect(CLIPTokenizer.cleaned("ΟΔΥΣΣΕΥΣ Σ ΑΣ.") == "οδυσσευς σ ας.")
        #expect(CLIPTokenizer.cleaned("e\u{301}") == "é")
    }

    @Test("Reproduces ftfy's deterministic repairs")
    func reproducesFTFYRepairs() {
        // ftfy 6.3.1 fix_text then OpenCLIP's html.unescape twice, whitespace collapse and lower().
        #expect(CLIPTokenizer.cleaned("Men\u{2019}s \u{201C}x\u{201D}") == "men's \"x\"")
        #expect(CLIPTokenizer.cleaned("\u{FB01}sh \u{FF21}\u{FF22}\u{FF11}") == "fish ab1")
        #expect(CLIPTokenizer.cleaned("a\u{0}b\u{7F}c\u{FEFF}d \u{1B}[31mred") == "abcd red")
        #expect(CLIPTokenizer.cleaned("price \u{80}5") == "price €5")
        // Without "<", ftfy unescapes until stable before OpenCLIP's two passes; with "<" it does not.
        #expect(CLIPTokenizer.cleaned("&amp;amp;amp;lt;") == "<")
        #expect(CLIPTokenizer.cleaned("<b>&amp;amp;amp;lt;") == "<b>&amp;lt;")
        #expect(CLIPTokenizer.cleaned("P&EACUTE;REZ &#59;") == "pérez ;")
    }

    @Test("Matches OpenCLIP on every committed fixture caption")
    func matchesFixtureCaptions() throws {
        let tokenizer = try StandardVocabulary.load()
        let cases = try TokenizerFixtureCase.load()
        #expect(cases.count >= 2000)
        let rows = tokenizer.tokenize(cases.map(\.text))
        #expect(rows.shape == [cases.count, 77])
        var mismatches = 0
        for (index, item) in cases.enumerated() where Array(rows[index]) != item.row {
            mismatches += 1
            if mismatches <= 5 { Issue.record("caption \(index) \(item.text.debugDescription) differs") }
        }
        #expect(mismatches == 0)
    }

    @Test("Parallel batch tokenisation equals the sequential result")
    func parallelEqualsSequential() async throws {
        let tokenizer = try StandardVocabulary.load()
        let texts = try TokenizerFixtureCase.load().map(\.text)
        let many = texts + texts + texts
        let sequential = tokenizer.tokenize(many)
        let parallel = await tokenizer.tokenize(many, concurrency: ConcurrencyBudget(width: 4))
        #expect(parallel == sequential)
        let single = await tokenizer.tokenize(many, concurrency: .serial)
        #expect(single == sequential)
        // The string column path reads the same captions' bytes in place.
        let column = StringColumn(many)
        #expect(tokenizer.tokenize(column) == sequential)
        #expect(await tokenizer.tokenize(column, concurrency: ConcurrencyBudget(width: 4)) == sequential)
    }
}
