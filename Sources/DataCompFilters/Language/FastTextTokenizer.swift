/// fastText's own tokenizer (`fasttext.tokenize`), which the image-based baselines' caption
/// filter counts with.
///
/// fastText splits on the ASCII bytes space, tab, vertical tab, form feed, carriage return, NUL
/// and newline, and emits the end-of-sentence token `</s>` for every newline, so `"word\n"` is two
/// tokens (`Dictionary::readWord`).
public enum FastTextTokenizer {
    /// fastText's end-of-sentence token.
    public static let endOfSentence = "</s>"

    /// The tokens of `text`, as `fasttext.tokenize(text)`.
    public static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        let utf8 = text.utf8
        scan(utf8) {
            tokens.append(String(decoding: utf8[$0], as: UTF8.self))
        } endOfSentence: {
            tokens.append(endOfSentence)
        }
        return tokens
    }

    /// The number of tokens of UTF-8 `bytes`, as `len(fasttext.tokenize(text))`, without
    /// building them.
    public static func tokenCount<Bytes: Collection<UInt8>>(utf8 bytes: Bytes) -> Int {
        var count = 0
        scan(bytes) { _ in
            count += 1
        } endOfSentence: {
            count += 1
        }
        return count
    }

    /// `Dictionary::readWord` over `bytes`: calls `word` with each word's range and
    /// `endOfSentence` for each newline, in order.
    @inline(__always)
    private static func scan<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, word: (Range<Bytes.Index>) -> Void, endOfSentence: () -> Void
    ) {
        var start: Bytes.Index?
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if isSeparator(byte) {
                if let wordStart = start { word(wordStart..<index) }
                start = nil
                if byte == 0x0A { endOfSentence() }
            } else if start == nil {
                start = index
            }
            bytes.formIndex(after: &index)
        }
        if let wordStart = start { word(wordStart..<bytes.endIndex) }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0
    }
}
