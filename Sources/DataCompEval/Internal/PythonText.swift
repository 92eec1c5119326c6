/// Python's `str.splitlines()` and `str.strip()`, which clip_benchmark applies to class-name,
/// template and caption files.
enum PythonText {
    /// Python's `str.splitlines()`.
    ///
    /// The line boundaries are `\n`, `\r`, `\r\n`, `\v`, `\f`, `\x1c`–`\x1e`,
    /// `\x85`, U+2028, U+2029. A trailing boundary does not start an empty last line.
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar.value {
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(String(current))
                current = String.UnicodeScalarView()
            case 0x0D:
                lines.append(String(current))
                current = String.UnicodeScalarView()
                if pending?.value == 0x0A { pending = scalars.next() }
            default:
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// `str.strip()`: removes leading and trailing characters that Python counts as whitespace.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) }) ?? first
        return String(scalars[first...last])
    }

    /// `[line.strip() for line in text.splitlines() if line.strip()]`.
    static func nonBlankStrippedLines(_ text: String) -> [String] {
        splitLines(text).map(strip).filter { !$0.isEmpty }
    }

    /// Python's `str.isspace` for one character: Unicode White_Space plus the separators
    /// `\x1c`–`\x1f`.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        (0x1C...0x1F).contains(scalar.value) || scalar.properties.isWhitespace
    }
}
