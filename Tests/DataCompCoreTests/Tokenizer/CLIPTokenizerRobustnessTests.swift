import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct CLIPTokenizerRobustnessTests {
    @Test("Random Unicode text always gives a well-formed row")
    func randomTextGivesWellFormedRows() throws {
        let tokenizer = try StandardVocabulary.load()
        var random = SplitMix64(seed: 0xC11B)
        var texts: [String] = []
        for _ in 0..<3000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 40) {
                let pick = random.next() % 10
                let value: UInt32
                switch pick {
                case 0..<3: value = UInt32(random.next() % 0x80)  // ASCII including controls, '&', '<', '\''
                case 3..<6: value = UInt32(random.next() % 0x3000)
                case 6: value = 0xFF00 + UInt32(random.next() % 0x100)  // width forms, specials
                case 7:
                    value = [0x26, 0x3B, 0x23, 0x3C, 0x1B, 0x5B, 0x3A3, 0x130, 0x17F, 0x345][Int(random.next() % 10)]
                default: value = UInt32(random.next() % 0x11_0000)
                }
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            }
            texts.append(String(scalars))
        }
        let rows = tokenizer.tokenize(texts)
        for row in 0..<texts.count {
            let ids = rows[row]
            #expect(ids.first == 49406)
            let end = try #require(ids.lastIndex(of: 49407), "row \(row) has no end of text")
            #expect(ids[(end + 1)...].allSatisfy { $0 == 0 })
            #expect(ids.allSatisfy { $0 >= 0 && $0 < 49408 })
        }
    }
}
