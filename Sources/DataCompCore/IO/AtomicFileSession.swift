/// An atomic write that stays open across calls (for writers that stream into a file over many
/// method calls, such as ``WebDatasetShardWriter``): content goes to a temporary file that is renamed into
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
            POSIX.system_unlink(temporaryPath)
            throw error
        }
        do {
            try POSIX.system_rename(temporaryPath, path)
        } catch {
            POSIX.system_unlink(temporaryPath)
            throw error
        }
    }

    /// Discards the temporary file.
    package func abandon() {
        guard isOpen else { return }
        isOpen = false
        sink.abandon()
        POSIX.system_unlink(temporaryPath)
    }

    deinit { abandon() }
}
