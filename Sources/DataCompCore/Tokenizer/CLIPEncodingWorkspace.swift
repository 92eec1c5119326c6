/// Reusable buffers and the word cache of one tokenizing thread: cleaning, pre-tokenisation and
/// BPE run in these buffers, so steady-state encoding allocates nothing per caption.
struct CLIPEncodingWorkspace {
    var text: [UInt32] = []
    var scratch: [UInt32] = []
    var bytes: [UInt8] = []
    var word: [Int32] = []
    var ids: [Int32] = []
    var cache = BPEWordCache()

    /// Encodes `text` into ``ids`` (without start/end of text), stopping once `limit` ids exist.
    mutating func encode(_ text: String, vocabulary: BytePairVocabulary, limit: Int = .max) {
        var text = text
        // A String's UTF-8 is valid: no need to check it again.
        text.withUTF8 { encode(validUTF8: $0, vocabulary: vocabulary, limit: limit) }
    }

    /// Encodes UTF-8 bytes (replacing invalid sequences with U+FFFD first, as `String(decoding:)`
    /// does) into ``ids``, stopping once `limit` ids exist.
    mutating func encode(utf8 bytes: UnsafeBufferPointer<UInt8>, vocabulary: BytePairVocabulary, limit: Int = .max) {
        guard TextScanning.isValidUTF8(UnsafeRawBufferPointer(bytes)) else {
            encode(String(decoding: bytes, as: UTF8.self), vocabulary: vocabulary, limit: limit)
            return
        }
        encode(validUTF8: bytes, vocabulary: vocabulary, limit: limit)
    }

    /// Encodes valid UTF-8 bytes into ``ids``, stopping once `limit` ids exist.
    private mutating func encode(
        validUTF8 bytes: UnsafeBufferPointer<UInt8>, vocabulary: BytePairVocabulary, limit: Int
    ) {
        // A long caption whose first `limit` ids are all that is needed: tokenize a prefix that
        // ends at an ASCII space first. Every cleaning step and the pre-tokenizer are local around
        // a space (no entity, combining sequence, final-sigma context or pre-token crosses it), so
        // the prefix's ids are exactly the first ids of the whole caption. The one line-wide rule,
        // ftfy skipping HTML unescaping on a line that contains "<", is checked: the prefix is
        // used only when the rest of its last line has no "<" or the prefix's last line has one.
        if limit < .max / 16 {
            let target = max(256, limit * 6)
            if bytes.count > target + target / 2,
                let cut = bytes[target...].firstIndex(of: 0x20),
                Self.lineRuleAgrees(bytes, at: cut)
            {
                encodeValid(UnsafeBufferPointer(rebasing: bytes[..<cut]), vocabulary: vocabulary, limit: limit)
                if ids.count >= limit { return }
            }
        }
        encodeValid(bytes, vocabulary: vocabulary, limit: limit)
    }

    /// Whether ftfy's "no `<` on the line" decision for the line containing `cut` is the same for
    /// the prefix ending at `cut` as for the whole text.
    private static func lineRuleAgrees(_ utf8: UnsafeBufferPointer<UInt8>, at cut: Int) -> Bool {
        var restHasBracket = false
        for byte in utf8[cut...] {
            if byte == 0x0A { break }
            if byte == 0x3C {
                restHasBracket = true
                break
            }
        }
        if !restHasBracket { return true }
        for byte in utf8[..<cut].reversed() {
            if byte == 0x0A { return false }
            if byte == 0x3C { return true }
        }
        return false
    }

    private mutating func encodeValid(_ utf8: UnsafeBufferPointer<UInt8>, vocabulary: BytePairVocabulary, limit: Int) {
        CLIPTextCleaner.clean(utf8: utf8, into: &self.text, scratch: &scratch)
        ids.removeAll(keepingCapacity: true)
        let scalars = self.text
        let count = scalars.count
        let ascii = CLIPTokenizerData.asciiClasses
        @inline(__always) func scalarClass(_ value: UInt32) -> UInt8 {
            value < 0x80 ? ascii[Int(value)] : CLIPTokenizerData.lookupClass(value)
        }
        var index = 0
        while index < count && ids.count < limit {
            let value = scalars[index]
            let klass = scalarClass(value)
            var end = index + 1
            // 1-2. The special-token literals (IGNORECASE: after lower-casing only U+017F "ſ"
            // still matches "s").
            if value == 0x3C, let match = Self.special(scalars, at: index) {
                if match.exact {
                    ids.append(match.isStart ? vocabulary.startOfTextID : vocabulary.endOfTextID)
                    index = match.end
                    continue
                }
                end = match.end
            } else if value == 0x27, let matchEnd = Self.contraction(scalars, at: index) {
                // 3. 's 't 're 've 'm 'll 'd
                end = matchEnd
            } else {
                switch klass {
                case CLIPTokenizerData.ScalarClass.letter.rawValue:
                    while end < count && scalarClass(scalars[end]) == klass { end += 1 }
                case CLIPTokenizerData.ScalarClass.number.rawValue:
                    break
                case CLIPTokenizerData.ScalarClass.other.rawValue:
                    while end < count && scalarClass(scalars[end]) == klass { end += 1 }
                default:
                    index += 1
                    continue
                }
            }
            appendBPE(scalars, index..<end, vocabulary: vocabulary)
            index = end
        }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
    }

    private static let startLiteral = Array("<start_of_text>".unicodeScalars.map(\.value))
    private static let endLiteral = Array("<end_of_text>".unicodeScalars.map(\.value))

    /// Matches `<start_of_text>` or `<end_of_text>` case-insensitively at `index`.
    private static func special(_ text: [UInt32], at index: Int) -> (end: Int, exact: Bool, isStart: Bool)? {
        for (literal, isStart) in [(startLiteral, true), (endLiteral, false)] {
            guard index + literal.count <= text.count else { continue }
            var exact = true
            var matches = true
            for offset in 0..<literal.count {
                let actual = text[index + offset]
                let expected = literal[offset]
                if actual == expected { continue }
                exact = false
                if !caseInsensitiveEqual(actual, expected) {
                    matches = false
                    break
                }
            }
            if matches { return (index + literal.count, exact, isStart) }
        }
        return nil
    }

    /// Whether `actual` matches the ASCII lower-case letter `expected` under the `regex` module's
    /// IGNORECASE (simple case folding).
    @inline(__always)
    private static func caseInsensitiveEqual(_ actual: UInt32, _ expected: UInt32) -> Bool {
        guard expected >= 0x61 && expected <= 0x7A else { return actual == expected }
        return actual == expected - 0x20 || (expected == 0x73 && actual == 0x17F)
    }

    /// Matches the contractions at `index` (which holds an apostrophe), in the pattern's order.
    private static func contraction(_ text: [UInt32], at index: Int) -> Int? {
        func at(_ offset: Int, _ letter: UInt32) -> Bool {
            let position = index + offset
            guard position < text.count else { return false }
            return text[position] == letter || caseInsensitiveEqual(text[position], letter)
        }
        if at(1, 0x73) || at(1, 0x74) { return index + 2 }  // 's 't
        if at(1, 0x72) && at(2, 0x65) { return index + 3 }  // 're
        if at(1, 0x76) && at(2, 0x65) { return index + 3 }  // 've
        if at(1, 0x6D) { return index + 2 }  // 'm
        if at(1, 0x6C) && at(2, 0x6C) { return index + 3 }  // 'll
        if at(1, 0x64) { return index + 2 }  // 'd
        return nil
    }

    /// Byte-encodes the pre-token `text[range]` and appends its BPE ids (through the cache).
    private mutating func appendBPE(_ text: [UInt32], _ range: Range<Int>, vocabulary: BytePairVocabulary) {
        bytes.removeAll(keepingCapacity: true)
        for index in range {
            let value = text[index]
            if value < 0x80 {
                bytes.append(UInt8(value))
            } else if value < 0x800 {
                bytes.append(UInt8(truncatingIfNeeded: 0xC0 | (value >> 6)))
                bytes.append(UInt8(truncatingIfNeeded: 0x80 | (value & 0x3F)))
            } else if value < 0x1_0000 {
                bytes.append(UInt8(truncatingIfNeeded: 0xE0 | (value >> 12)))
                bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((value >> 6) & 0x3F)))
                bytes.append(UInt8(truncatingIfNeeded: 0x80 | (value & 0x3F)))
            } else {
                bytes.append(UInt8(truncatingIfNeeded: 0xF0 | (value >> 18)))
                bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((value >> 12) & 0x3F)))
                bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((value >> 6) & 0x3F)))
                bytes.append(UInt8(truncatingIfNeeded: 0x80 | (value & 0x3F)))
            }
        }
        if bytes.count == 1 {
            ids.append(vocabulary.byteIDs[Int(bytes[0])] + 256)
            return
        }
        let found = bytes.withUnsafeBufferPointer { buffer -> Bool in
            let hash = BPEWordCache.hash(buffer)
            if cache.append(buffer, hash: hash, to: &ids) { return true }
            word.removeAll(keepingCapacity: true)
            for byte in buffer { word.append(vocabulary.byteIDs[Int(byte)]) }
            word[word.count - 1] += 256
            vocabulary.merge(&word)
            cache.insert(buffer, hash: hash, ids: word)
            return false
        }
        if !found { ids.append(contentsOf: word) }
    }
}
