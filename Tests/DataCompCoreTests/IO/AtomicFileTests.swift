import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct AtomicFileTests {
    @Test("A finished write replaces the destination and leaves no temporary file")
    func finishedWriteReplacesDestination() throws {
        let folder = try Fixtures.temporaryDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.bin").path
        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write(Array("second".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("second".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
    }

    @Test("A write that throws midway keeps the old file and removes the temporary one")
    func failedWriteKeepsOldFile() throws {
        struct Interrupted: Error {}
        let folder = try Fixtures.temporaryDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("subset.npy").path
        try AtomicFile.write(Array("old".utf8), to: path)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: path) { sink in
                // More than the sink's buffer, so part of it really reaches the temporary file.
                try sink.write([UInt8](repeating: 7, count: 3 << 20))
                throw Interrupted()
            }
        }
        #expect(FileManager.default.contents(atPath: path) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["subset.npy"])
    }

    @Test("A missing folder is an io error naming the path")
    func missingFolderIsAnIOError() throws {
        let path = "/nonexistent-datacomp-folder/out.npy"
        let error = try #require(throws: DataCompError.self) { try AtomicFile.write([0], to: path) }
        #expect(error.code == .io)
        #expect(error.description.contains("/nonexistent-datacomp-folder/"))
    }
}
