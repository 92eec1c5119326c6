/// OpenCLIP's default text cleaning (`clean='lower'`): `ftfy.fix_text` without its mojibake repair,
/// `html.unescape` twice, whitespace collapse with Python's `str.split()` whitespace, and
/// Python's `str.lower()`.
///
/// Works on code points (`UInt32`) in caller-owned buffers, so cleaning allocates nothing once the
/// buffers have grown.
enum CLIPTextCleaner {
    /// Cleans `text` into `output` (replacing its content); `scratch` is a work buffer.
    static func clean(_ text: Substring, into output: inout [UInt32], scratch: inout [UInt32]) {
        var text = text
        text.withUTF8 { clean(utf8: $0, into: &output, scratch: &scratch) }
    }

    /// Cleans the valid UTF-8 text `bytes` into `output` (replacing its content); `scratch` is a
    /// work buffer.
    static func clean(utf8 bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt32], scratch: inout [UInt32]) {
        // 1. ftfy.fix_text: its deterministic repairs and NFC (not the mojibake repair; see Tokenizer.md).
        scratch.removeAll(keepingCapacity: true)
        var hasAmpersand = decodeUTF8(bytes, into: &scratch)
        if FTFYRepairs.mayApply(scratch, hasAmpersand: hasAmpersand) {
            FTFYRepairs.apply(&scratch, scratch: &output)
            hasAmpersand = scratch.contains(0x26)
        } else if NFCNormalizer.mayNeedNormalization(scratch) {
            NFCNormalizer.normalize(&scratch, scratch: &output)
        }
        // 2. html.unescape(html.unescape(text)).
        if hasAmpersand {
            unescapeHTML(scratch, into: &output)
            if output.contains(0x26) {
                swap(&output, &scratch)
                unescapeHTML(scratch, into: &output)
            }
            swap(&output, &scratch)
        }
        // 3-4. strip, " ".join(text.split()), strip.
        output.removeAll(keepingCapacity: true)
        var pendingSpace = false
        for value in scratch {
            if isPythonWhitespace(value) {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace {
                    output.append(0x20)
                    pendingSpace = false
                }
                output.append(value)
            }
        }
        // 5. str.lower().
        lowercase(&output, scratch: &scratch)
    }

    /// Decodes valid UTF-8 (a Swift string's storage) into code points; returns whether an `&`
    /// was seen.
    @inline(__always)
    private static func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) -> Bool {
        var hasAmpersand = false
        var index = 0
        let count = bytes.count
        output.reserveCapacity(count)
        while index < count {
            let lead = UInt32(bytes[index])
            if lead < 0x80 {
                if lead == 0x26 { hasAmpersand = true }
                output.append(lead)
                index += 1
            } else if lead < 0xE0, index + 1 < count {
                output.append((lead & 0x1F) << 6 | (UInt32(bytes[index + 1]) & 0x3F))
                index += 2
            } else if lead < 0xF0, index + 2 < count {
                output.append(
                    (lead & 0x0F) << 12 | (UInt32(bytes[index + 1]) & 0x3F) << 6 | (UInt32(bytes[index + 2]) & 0x3F))
                index += 3
            } else if index + 3 < count {
                output.append(
                    (lead & 0x07) << 18 | (UInt32(bytes[index + 1]) & 0x3F) << 12 | (UInt32(bytes[index + 2]) & 0x3F)
                        << 6
                        | (UInt32(bytes[index + 3]) & 0x3F))
                index += 4
            } else {
                output.append(0xFFFD)  // unreachable for valid UTF-8 (callers validate column bytes first)
                index += 1
            }
        }
        return hasAmpersand
    }

    /// Whether Python's `str.split()` splits on `value` (`Py_UNICODE_ISSPACE`).
    @inline(__always)
    static func isPythonWhitespace(_ value: UInt32) -> Bool {
        if value < 0x80 { return (value >= 0x09 && value <= 0x0D) || (value >= 0x1C && value <= 0x20) }
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `str.lower()` in place, including the context-dependent final sigma.
    static func lowercase(_ text: inout [UInt32], scratch: inout [UInt32]) {
        var allASCII = true
        for index in text.indices {
            let value = text[index]
            if value < 0x80 {
                if value >= 0x41 && value <= 0x5A { text[index] = value + 0x20 }
            } else {
                allASCII = false
            }
        }
        if allASCII { return }
        scratch.removeAll(keepingCapacity: true)
        let planeZero = CLIPTokenizerData.planeZeroLowercase
        for index in text.indices {
            let value = text[index]
            if value < 0x80 {
                scratch.append(value)
            } else if value < 0x1_0000 && planeZero[Int(value)] != 0 {
                scratch.append(planeZero[Int(value)])
            } else if value == 0x3A3 {
                scratch.append(isFinalSigma(text, at: index) ? 0x3C2 : 0x3C3)
            } else if let lower = CLIPTokenizerData.lowercase[value] {
                scratch.append(lower)
            } else if let expansion = CLIPTokenizerData.lowercaseExpansions[value] {
                scratch.append(contentsOf: expansion)
            } else {
                scratch.append(value)
            }
        }
        swap(&text, &scratch)
    }

    /// CPython's `handle_capital_sigma`: `\p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})`.
    private static func isFinalSigma(_ text: [UInt32], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0 && property(text[before], \.isCaseIgnorable) { before -= 1 }
        guard before >= 0 && property(text[before], \.isCased) else { return false }
        var after = index + 1
        while after < text.count && property(text[after], \.isCaseIgnorable) { after += 1 }
        return after == text.count || !property(text[after], \.isCased)
    }

    private static func property(_ value: UInt32, _ key: KeyPath<Unicode.Scalar.Properties, Bool>) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        return scalar.properties[keyPath: key]
    }

    // MARK: html.unescape

    /// Python's `html.unescape` (Python 3.11): replaces `&name;`, `&#NNN;` and `&#xHHH;`
    /// references, with the HTML5 rules for missing semicolons and invalid numbers.
    static func unescapeHTML(_ text: [UInt32], into output: inout [UInt32]) {
        output.removeAll(keepingCapacity: true)
        let count = text.count
        var index = 0
        while index < count {
            let value = text[index]
            guard value == 0x26, index + 1 < count else {
                output.append(value)
                index += 1
                continue
            }
            let next = text[index + 1]
            if next == 0x23 {  // '#'
                if let end = numericReference(text, from: index + 2, into: &output) {
                    index = end
                } else {
                    output.append(value)
                    index += 1
                }
                continue
            }
            // Named: [^\t\n\f <&#;]{1,32};?
            var end = index + 1
            while end < count && end - (index + 1) < 32 && !isNameTerminator(text[end]) { end += 1 }
            guard end > index + 1 else {
                output.append(value)
                index += 1
                continue
            }
            if end < count && text[end] == 0x3B { end += 1 }
            let name = Array(text[(index + 1)..<end])
            if let replacement = CLIPTokenizerData.namedEntities[name] {
                output.append(contentsOf: replacement)
            } else {
                var matched = false
                var length = name.count - 1
                while length > 1 {
                    if let replacement = CLIPTokenizerData.namedEntities[Array(name[0..<length])] {
                        output.append(contentsOf: replacement)
                        output.append(contentsOf: name[length...])
                        matched = true
                        break
                    }
                    length -= 1
                }
                if !matched {
                    output.append(0x26)
                    output.append(contentsOf: name)
                }
            }
            index = end
        }
    }

    @inline(__always)
    private static func isNameTerminator(_ value: UInt32) -> Bool {
        value == 0x09 || value == 0x0A || value == 0x0C || value == 0x20 || value == 0x3C || value == 0x26
            || value == 0x23 || value == 0x3B
    }

    /// Parses `[0-9]+;?` or `[xX][0-9a-fA-F]+;?` at `start` (just after `&#`), appends the
    /// replacement and returns the index after the reference; nil when there is no reference.
    private static func numericReference(_ text: [UInt32], from start: Int, into output: inout [UInt32]) -> Int? {
        let count = text.count
        guard start < count else { return nil }
        var index = start
        var number: UInt32 = 0
        let limit: UInt32 = 0x11_0000  // saturate: anything above 0x10FFFF behaves the same
        if text[start] == 0x78 || text[start] == 0x58 {
            index += 1
            let digitsStart = index
            while index < count, let digit = hexDigit(text[index]) {
                number = min(number &* 16 &+ digit, limit)
                if number >= limit { number = limit }
                index += 1
            }
            guard index > digitsStart else { return nil }
        } else {
            let digitsStart = index
            while index < count, text[index] >= 0x30, text[index] <= 0x39 {
                number = min(number &* 10 &+ (text[index] - 0x30), limit)
                index += 1
            }
            guard index > digitsStart else { return nil }
        }
        if index < count && text[index] == 0x3B { index += 1 }
        if let replacement = CLIPTokenizerData.numericReplacements[number] {
            output.append(contentsOf: replacement)
        } else if (number >= 0xD800 && number <= 0xDFFF) || number > 0x10FFFF {
            output.append(0xFFFD)
        } else if !CLIPTokenizerData.deletedCodePoints.contains(number) {
            output.append(number)
        }
        return index
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt32) -> UInt32? {
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46: return value - 0x41 + 10
        case 0x61...0x66: return value - 0x61 + 10
        default: return nil
        }
    }
}
