import Testing
import _DataCompTestSupport

@Suite struct InspectTests {
    @Test("An unknown extension is a clear error, not a crash")
    func unknownExtensionIsAnError() throws {
        let result = try CommandRunner.run(["inspect", "/nonexistent/file.xyz"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("cannot inspect files with extension '.xyz'"))
    }
}
