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
        var word: [UInt8] = []
        for byte in text.utf8 {
            if isSeparator(byte) {
                if !word.isEmpty {
                    tokens.append(String(decoding: word, as: UTF8.self))
                    word.removeAll(keepingCapacity: true)
                }
                if byte == 0x0A { tokens.append(endOfSentence) }
            } else {
                word.append(byte)
            }
        }
        if !word.isEmpty { tokens.append(String(decoding: word, as: UTF8.self)) }
        return tokens
    }

    /// The number of tokens of UTF-8 `bytes`, as `len(fasttext.tokenize(text))`, without
    /// building them.
    public static func tokenCount(utf8 bytes: some Sequence<UInt8>) -> Int {
        var count = 0
        var inWord = false
        for byte in bytes {
            if isSeparator(byte) {
                if inWord { count += 1 }
                inWord = false
                if byte == 0x0A { count += 1 }
            } else {
                inWord = true
            }
        }
        return inWord ? count + 1 : count
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0
    }
}
