import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Small synthetic vocabularies (gzipped in memory) check the merge procedure and the vocabulary
/// parser's errors without the real file.
@Suite struct BytePairVocabularyTests {
    static func vocabulary(_ merges: [String]) throws -> [UInt8] {
        try Gzip.compress(Array((["#version: 0.2"] + merges).joined(separator: "\n").utf8))
    }

    @Test("Merges the lowest-ranked pair everywhere, left to right, as SimpleTokenizer.bpe")
    func mergesLowestRankFirst() throws {
        // Ranks: (a, a) = 0 -> id 512 "aa"; (aa, a</w>) = 1 -> id 513 "aaa</w>"; (a, a</w>) = 2 -> 514.
        let tokenizer = try CLIPTokenizer(gzippedVocabulary: Self.vocabulary(["a a", "aa a</w>", "a a</w>"]))
        #expect(tokenizer.vocabularySize == 512 + 3 + 2)
        #expect(tokenizer.startOfTextID == 515)
        // "aaa": a a a</w> -> (a,a) rank 0 merges the first pair only: aa a</w> -> rank 1: aaa</w>.
        #expect(tokenizer.encode("aaa") == [513])
        // "aaaa": a a a a</w> -> (a,a) merges at 0 only (then a a</w> is not (a,a)): aa a a</w>
        // -> (a,a</w>) rank 2: aa aa</w>.
        #expect(tokenizer.encode("aaaa") == [512, 514])
        // One byte: its </w> symbol (byte 'a' = 97 -> id 64 + 256).
        #expect(tokenizer.encode("a") == [320])
    }

    @Test("Rejects files that are not gzip or not merge lists")
    func rejectsInvalidVocabularies() throws {
        #expect(throws: DataCompError.self) { try CLIPTokenizer(gzippedVocabulary: Array("hello".utf8)) }
        do {
            _ = try CLIPTokenizer(gzippedVocabulary: Self.vocabulary(["a a", "a b c"]))
            Issue.record("a three-symbol merge line was accepted")
        } catch let error as DataCompError {
            #expect(error.code == .invalidFormat)
            #expect(error.position == .line(3))
        }
        do {
            _ = try CLIPTokenizer(gzippedVocabulary: Self.vocabulary([]))
            Issue.record("a vocabulary without merges was accepted")
        } catch let error as DataCompError {
            #expect(error.code == .invalidFormat)
        }
        let whole = try Self.vocabulary(["a a", "b b"])
        do {
            _ = try CLIPTokenizer(gzippedVocabulary: Array(whole.prefix(whole.count - 9)))
            Issue.record("a truncated gzip file was accepted")
        } catch let error as DataCompError {
            #expect(error.code == .truncatedFile || error.code == .corruptData)
        }
    }

    @Test("Corrupted and truncated vocabularies only ever throw DataCompError")
    func survivesCorruption() throws {
        let merges = (0..<200).map {
            "\(Character(Unicode.Scalar(UInt8(97 + $0 % 26)))) \(Character(Unicode.Scalar(UInt8(97 + ($0 / 26) % 26))))"
        }
        let original = try Self.vocabulary(merges)
        var random = SplitMix64(seed: 0x70c)
        for trial in 0..<2000 {
            var bytes = original
            if trial % 3 == 0 {
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            } else {
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            do {
                let tokenizer = try CLIPTokenizer(gzippedVocabulary: bytes)
                _ = tokenizer.tokenize("a photo of a cat, café 東京 😀")
            } catch is DataCompError {
                // expected for most mutations
            }
        }
    }

    @Test("Reads the real vocabulary file from disk and names it in errors")
    func readsFromDisk() throws {
        let folder = try Fixtures.temporaryDirectory("bpe")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.txt.gz").path
        try AtomicFile.write(Array("not gzip".utf8), to: path)
        do {
            _ = try CLIPTokenizer(vocabularyAt: path)
            Issue.record("a non-gzip file was accepted")
        } catch let error as DataCompError {
            #expect(error.code == .invalidFormat)
            #expect(error.path == path)
        }
        #expect(throws: DataCompError.self) {
            try CLIPTokenizer(vocabularyAt: folder.appendingPathComponent("missing.gz").path)
        }
    }
}
