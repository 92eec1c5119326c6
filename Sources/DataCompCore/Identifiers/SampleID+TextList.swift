extension SampleID {
    /// Reads a text file of uids, one per line.
    ///
    /// Leading and trailing spaces, tabs and carriage returns are ignored, and so are blank lines.
    /// The identifiers are returned in file order, duplicates included.
    ///
    /// - Parameter path: The text file.
    /// - Returns: The identifiers in file order.
    /// - Throws: ``DataCompError`` with code `invalidIdentifier` naming the file and the one-based
    ///   line of the first line that is not 32 hexadecimal digits, or `fileNotFound`/`io`.
    public static func readList(fromTextFile path: String) throws -> [SampleID] {
        try MappedFile.parsing(path) { try parseList($0.bytes) }
    }

    /// Parses uids from text, one per line; see ``readList(fromTextFile:)``.
    ///
    /// - Parameter text: The file content.
    /// - Returns: The identifiers in order.
    /// - Throws: ``DataCompError`` with code `invalidIdentifier` naming the one-based line.
    public static func parseList(_ text: String) throws -> [SampleID] {
        var copy = text
        return try copy.withUTF8 { try parseList(UnsafeRawBufferPointer($0)) }
    }

    package static func parseList(_ bytes: UnsafeRawBufferPointer) throws -> [SampleID] {
        var result: [SampleID] = []
        result.reserveCapacity(bytes.count / 33)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var first = lineStart
            var last = lineEnd
            while first < last && isBlank(bytes[first]) { first += 1 }
            while last > first && isBlank(bytes[last - 1]) { last -= 1 }
            if first < last {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[first..<last])
                guard let id = SampleID(hexBytes: slice) else {
                    let shown = String(decoding: slice.prefix(80), as: UTF8.self)
                    throw DataCompError(
                        .invalidIdentifier,
                        "'\(shown)' is not a sample uid; expected exactly 32 hexadecimal digits per line (blank lines are ignored)",
                        position: .line(lineNumber))
                }
                result.append(id)
            }
            lineStart = lineEnd + 1
        }
        return result
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
