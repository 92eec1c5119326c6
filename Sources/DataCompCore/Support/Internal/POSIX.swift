#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// Thin wrappers over the C library calls the package makes outside memory mapping (one per C
/// function, named after it as swift-system does), each turning `errno` into a
/// ``DataCompError`` where it can fail.
///
/// No other file outside an `Internal/` folder touches libc.
package enum POSIX {
    /// The message of the current `errno`.
    ///
    /// The corresponding C function is `strerror`.
    package static func errorMessage() -> String { String(cString: strerror(errno)) }

    /// Creates (or truncates) `path` for writing.
    ///
    /// The corresponding C function is `open`.
    package static func system_openForWriting(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DataCompError(.io, "cannot create file: \(errorMessage())", path: path) }
        return descriptor
    }

    /// Writes all of `bytes`, retrying after interruptions.
    ///
    /// The corresponding C function is `write`.
    package static func system_writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String?) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = write(descriptor, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataCompError(.io, "cannot write: \(errorMessage())", path: path)
            }
            done += n
        }
    }

    /// Flushes to disk (where the file system supports it) and closes.
    ///
    /// The corresponding C
    /// functions are `fdatasync` and `close`.
    package static func system_syncAndClose(_ descriptor: Int32, path: String) throws {
        guard fdatasync(descriptor) == 0 || errno == EINVAL, close(descriptor) == 0 else {
            throw DataCompError(.io, "cannot finish writing: \(errorMessage())", path: path)
        }
    }

    /// Closes, reporting a failure (a delayed write error).
    ///
    /// The corresponding C function is `close`.
    package static func system_closeChecked(_ descriptor: Int32, path: String) throws {
        guard close(descriptor) == 0 else {
            throw DataCompError(.io, "cannot finish writing: \(errorMessage())", path: path)
        }
    }

    /// Closes, ignoring errors (for abandoned files).
    ///
    /// The corresponding C function is `close`.
    package static func system_close(_ descriptor: Int32) { _ = close(descriptor) }

    /// Renames `source` over `destination` in one step.
    ///
    /// The corresponding C function is `rename`.
    package static func system_rename(_ source: String, _ destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw DataCompError(.io, "cannot move the finished file into place: \(errorMessage())", path: destination)
        }
    }

    /// Removes a file, ignoring errors.
    ///
    /// The corresponding C function is `unlink`.
    package static func system_unlink(_ path: String) { _ = unlink(path) }

    /// Whether `path` names an existing folder.
    ///
    /// The corresponding C function is `stat`.
    package static func system_isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The process id.
    ///
    /// The corresponding C function is `getpid`.
    package static func system_getpid() -> Int32 { getpid() }

    /// Seconds since the Unix epoch with nanosecond resolution.
    ///
    /// The corresponding C function is
    /// `clock_gettime(CLOCK_REALTIME)`.
    package static func system_wallClock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Whether the descriptor is a terminal.
    ///
    /// The corresponding C function is `isatty`.
    package static func system_isatty(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// The standard output descriptor.
    package static var standardOutput: Int32 { STDOUT_FILENO }
    /// The standard error descriptor.
    package static var standardError: Int32 { STDERR_FILENO }
}
