import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct TextScanningTests {
    @Test(
        "Caption lengths follow Python's len(text) and len(text.split())",
        arguments: [
            // (text, len(text), len(text.split())) from CPython 3.11.7.
            ("", 0, 0), ("  ", 2, 0), ("a", 1, 1), ("two words", 9, 2), ("\u{3000}x\u{3000}y\u{3000}", 5, 2),
            ("a\u{200B}b", 3, 1), ("a\u{180E}b", 3, 1), ("a\u{1C}b\u{1D}c\u{1E}d\u{1F}f", 9, 5), ("x\u{85}y", 3, 2),
            ("caf\u{E9} cr\u{E8}me", 10, 2), ("\u{1F436} dog", 5, 2), ("a\u{2028}b\u{2029}c", 5, 3),
            ("a\u{A0}b\u{202F}c\u{205F}d\u{1680}e", 9, 5), ("tab\tnew\nline\rcr\u{0B}vt\u{0C}ff", 21, 6),
            ("\u{FEFF}bom", 4, 1),
        ])
    func captionLengthsFollowPython(text: String, characters: Int, words: Int) {
        var copy = text
        copy.withUTF8 { bytes in
            #expect(TextScanning.scalarCount(UnsafeRawBufferPointer(bytes)) == characters)
            #expect(TextScanning.pythonWordCount(UnsafeRawBufferPointer(bytes)) == words)
        }
    }

    @Test("The uid column parser agrees with SampleID(hex:) and reports the first bad row")
    func uidParserAgreesWithSampleID() throws {
        var random = SplitMix64(seed: 42)
        let ids = (0..<2000).map { _ in SampleID(high: random.next(), low: random.next()) }
        // Mixed case, as SampleID(hex:) accepts upper-case digits too.
        let texts = ids.enumerated().map {
            $0.offset % 3 == 0 ? $0.element.hexString.uppercased() : $0.element.hexString
        }
        let column = StringColumn(texts)
        let parsed = try TextScanning.parseUIDs(bytes: column.bytes, offsets: column.offsets[...]).get()
        #expect(parsed == ids)
        for bad in ["g", " ", "-", ":", "@", "`", "G", "\u{E9}"] {
            for position in [0, 15, 16, 31] {
                var broken = texts
                var scalars = Array(broken[7].unicodeScalars)
                scalars[position] = bad.unicodeScalars.first ?? "x"
                broken[7] = String(String.UnicodeScalarView(scalars))
                let strings = StringColumn(broken)
                #expect(throws: (any Error).self) { try SampleID(hex: broken[7]) }
                switch TextScanning.parseUIDs(bytes: strings.bytes, offsets: strings.offsets[...]) {
                case .success: Issue.record("accepted \(broken[7])")
                case .failure(let invalid): #expect(invalid.row == 7)
                }
            }
        }
        let short = StringColumn(["139e4a9b22a614771f06c700a8ebe150", "139e4a9b22a614771f06c700a8ebe15"])
        if case .failure(let invalid) = TextScanning.parseUIDs(bytes: short.bytes, offsets: short.offsets[...]) {
            #expect(invalid.row == 1)
        } else {
            Issue.record("accepted a 31-digit uid")
        }
    }
}
