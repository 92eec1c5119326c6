/// Writes files so that readers never see a half-written output.
///
/// Data goes to a temporary file next to the destination (`.name.tmp-<pid>-<random>`) and is
/// renamed over the destination in one step when complete, so an interrupted or failed write
/// leaves either the old file or the complete new one, never a half-written output. Pass
/// `synchronizing: true` to also force the data to disk before the rename (checkpoints and other
/// files that must survive a power loss); by default the kernel writes it back on its own
/// schedule, as numpy's and pyarrow's writers leave it.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    ///
    /// - Parameters:
    ///   - bytes: The complete file content.
    ///   - path: The destination; its folder must exist.
    ///   - synchronizing: Whether the data is forced to disk (`fdatasync`) before the rename.
    /// - Throws: ``DataCompError`` with code `io` naming the path.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, synchronizing: Bool = false) throws {
        try write(to: path, synchronizing: synchronizing) { sink in try sink.write(bytes) }
    }

    /// Streams content into `path` atomically: `body` writes through the sink, and the file
    /// appears under its final name only if `body` returns normally.
    ///
    /// - Parameters:
    ///   - path: The destination; its folder must exist.
    ///   - synchronizing: Whether the data is forced to disk (`fdatasync`) before the rename.
    ///   - body: Writes the content. If it throws, the temporary file is removed and the error
    ///     is rethrown.
    /// - Returns: What `body` returns.
    /// - Throws: ``DataCompError`` with code `io`, or whatever `body` throws.
    public static func write<R>(to path: String, synchronizing: Bool = false, _ body: (inout FileSink) throws -> R)
        throws -> R
    {
        let session = try AtomicFileSession(path: path, synchronizing: synchronizing)
        do {
            let result = try body(&session.sink)
            try session.commit()
            return result
        } catch {
            session.abandon()
            throw error
        }
    }

    package static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).tmp-\(POSIX.system_getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// A buffered, write-only file handle used by ``AtomicFile``.
public struct FileSink: ~Copyable {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// The path being written (the temporary name while an atomic write is in progress).
    public let path: String
    /// The number of bytes written so far.
    public private(set) var bytesWritten: Int = 0

    private static let bufferLimit = 1 << 20

    init(creating path: String) throws {
        self.path = path
        descriptor = try POSIX.system_openForWriting(path)
        buffer.reserveCapacity(Self.bufferLimit)
    }

    /// Appends bytes to the file.
    ///
    /// - Throws: ``DataCompError`` with code `io`.
    public mutating func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    /// Appends raw bytes to the file.
    ///
    /// - Throws: ``DataCompError`` with code `io`.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= Self.bufferLimit {
            try flush()
            try writeFully(bytes)
            bytesWritten += bytes.count
        } else {
            buffer.append(contentsOf: bytes)
            bytesWritten += bytes.count
            if buffer.count >= Self.bufferLimit { try flush() }
        }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeFully($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        try POSIX.system_writeAll(descriptor, bytes, path: path)
    }

    mutating func close(synchronizing: Bool) throws {
        try flush()
        let fd = descriptor
        descriptor = -1
        if synchronizing {
            try POSIX.system_syncAndClose(fd, path: path)
        } else {
            try POSIX.system_closeChecked(fd, path: path)
        }
    }

    mutating func abandon() {
        if descriptor >= 0 { POSIX.system_close(descriptor) }
        descriptor = -1
    }

    deinit {
        if descriptor >= 0 { POSIX.system_close(descriptor) }
    }
}
