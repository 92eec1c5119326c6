/// An atomic write that stays open across calls (for writers that stream into a file over many
/// method calls, such as ``WebDatasetShardWriter``): content goes to a temporary file that is renamed into
/// place by ``commit()`` and removed by ``abandon()`` or when the session is released.
package final class AtomicFileSession {
    package let path: String
    private let temporaryPath: String
    package var sink: FileSink
    private var isOpen = true

    /// Whether ``commit()`` forces the data to disk before the rename.
    package let synchronizing: Bool

    package init(path: String, synchronizing: Bool = false) throws {
        self.path = path
        self.synchronizing = synchronizing
        temporaryPath = AtomicFile.temporaryPath(for: path)
        sink = try FileSink(creating: temporaryPath)
    }

    /// Flushes (and, when ``synchronizing``, syncs) the file and renames it into place.
    package func commit() throws {
        guard isOpen else { return }
        isOpen = false
        do {
            try sink.close(synchronizing: synchronizing)
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
