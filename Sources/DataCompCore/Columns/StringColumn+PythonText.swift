extension StringColumn {
    /// The number of Unicode scalars of string `index`: Python's `len(text)`.
    ///
    /// Swift's `String.count` counts grapheme clusters, which differs from Python for combining
    /// marks, emoji sequences and Hangul jamo; DataComp's caption-length rules are Python's.
    /// For invalid UTF-8, every byte that is not a continuation byte counts as one scalar.
    ///
    /// - Parameter index: A row in `0..<count`.
    /// - Returns: The length in Unicode scalars.
    public func unicodeScalarCount(at index: Int) -> Int {
        bytes.withUnsafeBytes {
            TextScanning.scalarCount(UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]))
        }
    }

    /// The number of words of string `index` as Python's `len(text.split())` counts them:
    /// runs of characters that are not Python whitespace (`str.isspace`, which includes
    /// U+001C–U+001F, U+0085, U+00A0 and the Unicode space separators).
    ///
    /// - Parameter index: A row in `0..<count`.
    /// - Returns: The word count.
    public func wordCount(at index: Int) -> Int {
        bytes.withUnsafeBytes {
            TextScanning.pythonWordCount(UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]))
        }
    }

    /// The words of string `index` as Python's `text.split()` returns them (split on runs of
    /// Python whitespace, see ``wordCount(at:)``); invalid UTF-8 is replaced as
    /// `String(decoding:as:)` replaces it.
    ///
    /// - Parameter index: A row in `0..<count`.
    /// - Returns: The words, in order.
    public func words(at index: Int) -> [String] {
        bytes.withUnsafeBytes {
            let text = UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]])
            var words: [String] = []
            TextScanning.forEachPythonWord(text) { range in
                words.append(String(decoding: UnsafeRawBufferPointer(rebasing: text[range]), as: UTF8.self))
            }
            return words
        }
    }

    /// ``unicodeScalarCount(at:)`` of every string, in one pass.
    ///
    /// - Returns: One length per row.
    public func unicodeScalarCounts() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        forEachUTF8 { _, bytes in result.append(TextScanning.scalarCount(bytes)) }
        return result
    }

    /// ``wordCount(at:)`` of every string, in one pass.
    ///
    /// - Returns: One word count per row.
    public func wordCounts() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        forEachUTF8 { _, bytes in result.append(TextScanning.pythonWordCount(bytes)) }
        return result
    }
}
