#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An atomic write that stays open across calls (for writers that stream into a file over many
/// method calls, such as ``ShardWriter``): content goes to a temporary file that is renamed into
/// place by ``commit()`` and removed by ``abandon()`` or when the session is released.
package final class AtomicFileSession {
    package let path: String
    private let temporaryPath: String
    package var sink: FileSink
    private var isOpen = true

    package init(path: String) throws {
        self.path = path
        temporaryPath = AtomicFile.temporaryPath(for: path)
        sink = try FileSink(creating: temporaryPath)
    }

    /// Flushes, syncs and renames the file into place.
    package func commit() throws {
        guard isOpen else { return }
        isOpen = false
        do {
            try sink.close()
        } catch {
            unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw DataCompError(.io, "cannot move the finished file into place: \(message)", path: path)
        }
    }

    /// Discards the temporary file.
    package func abandon() {
        guard isOpen else { return }
        isOpen = false
        sink.abandon()
        unlink(temporaryPath)
    }

    deinit { abandon() }
}
