import DataCompCore
import Testing

@Suite struct DataCompErrorTests {
    @Test("Description names the file, the position, the message and the code")
    func descriptionNamesFilePositionAndCode() {
        let error = DataCompError(
            .truncatedFile, "needed 16 bytes, 3 left", path: "/data/a.npy", position: .offset(128))
        #expect(error.description == "/data/a.npy (byte offset 128): needed 16 bytes, 3 left [truncatedFile]")
    }

    @Test("naming(_:) adds a path only where none is set")
    func namingAddsPathOnlyWhenMissing() {
        let bare = DataCompError(.corruptData, "bad", position: .row(3))
        #expect(bare.naming("x.npz").path == "x.npz")
        #expect(bare.naming("x.npz").naming("y.npz").path == "x.npz")
    }
}
