#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory map of a whole file.
///
/// The mapping lives as long as the object; `bytes` must not escape it. Instances are immutable
/// after creation and the mapped pages are never written, so sharing across threads is safe.
package final class MappedFile: @unchecked Sendable {
    /// The file's path, for error messages.
    package let path: String
    /// The mapped bytes (empty for an empty file).
    package let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?
    /// Whether `base` was allocated (``init(contents:path:)``) rather than mapped.
    private var isOwned = false

    /// Maps the file at `path` read-only.
    ///
    /// - Throws: ``DataCompError`` with code `fileNotFound` or `io`.
    package init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            let code: DataCompError.Code = err == ENOENT ? .fileNotFound : .io
            throw DataCompError(code, "cannot open file: \(String(cString: strerror(err)))", path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw DataCompError(.io, "cannot stat file: \(String(cString: strerror(errno)))", path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataCompError(.io, "is a directory, expected a file", path: path)
        }
        let size = Int(info.st_size)
        if size == 0 {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw DataCompError(.io, "cannot memory-map file: \(String(cString: strerror(errno)))", path: path)
        }
        base = mapped
        bytes = UnsafeRawBufferPointer(start: mapped, count: size)
    }

    /// Bytes that were produced in memory (a decompressed archive) and stand in for a file.
    ///
    /// - Parameters:
    ///   - contents: The bytes.
    ///   - path: The file they came from, for error messages.
    package init(contents: [UInt8], path: String) {
        self.path = path
        isOwned = true
        guard !contents.isEmpty else {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let storage = UnsafeMutableRawPointer.allocate(byteCount: contents.count, alignment: 16)
        contents.withUnsafeBytes { storage.copyMemory(from: $0.requiredBaseAddress, byteCount: contents.count) }
        base = storage
        bytes = UnsafeRawBufferPointer(start: storage, count: contents.count)
    }

    deinit {
        guard let base else { return }
        if isOwned { base.deallocate() } else { munmap(base, bytes.count) }
    }

    /// Maps `path` and parses it with `body`: the one way readers open a file.
    ///
    /// Any
    /// ``DataCompError`` that `body` throws without naming a file is given `path`, and the
    /// mapping stays alive until `body` returns (values that keep the bytes keep the file).
    ///
    /// - Throws: ``DataCompError`` `fileNotFound` or `io` from mapping, or what `body` throws.
    package static func parsing<T>(_ path: String, _ body: (MappedFile) throws -> T) throws -> T {
        let file = try MappedFile(path: path)
        return try DataCompError.attributing(to: path) { try withExtendedLifetime(file) { try body(file) } }
    }

    /// The number of bytes in the file.
    package var count: Int { bytes.count }
}
