/// Standard error for progress output: whether it is a terminal, and unbuffered writes to it.
enum Terminal {
    /// Whether standard error is a terminal (not a file, pipe or CI log).
    static var standardErrorIsTerminal: Bool { POSIX.system_isatty(POSIX.standardError) }

    /// Writes `text` to standard error; errors are ignored (progress is best effort).
    static func writeToStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            try? POSIX.system_writeAll(POSIX.standardError, UnsafeRawBufferPointer(bytes), path: nil)
        }
    }
}
