import DataComp

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif

/// Unbuffered writes to standard output, for commands that stream large outputs.
enum StandardOutput {
    /// Writes all of `bytes` to standard output, retrying after interruptions.
    ///
    /// The
    /// corresponding C function is `write`.
    ///
    /// - Throws: `DataCompError` with code `io` (for example a closed pipe).
    static func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let written = systemWrite(STDOUT_FILENO, base + done, bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                throw DataCompError(.io, "cannot write to standard output: \(String(cString: strerror(errno)))")
            }
            done += written
        }
    }
}
