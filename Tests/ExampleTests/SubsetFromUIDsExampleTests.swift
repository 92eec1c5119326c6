import Foundation
import Testing
import _DataCompTestSupport

/// Runs the `subset-from-uids` example (Examples/subset-from-uids) end to end.
@Suite struct SubsetFromUIDsExampleTests {
    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let binary = CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("subset-from-uids")
        let result = try CommandRunner.run(executable: binary, arguments)
        return (result.status, result.standardOutput + result.standardError)
    }

    @Test("Builds the same subset file as np.save")
    func buildsSubset() throws {
        let folder = try Fixtures.temporaryDirectory("example")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("subset.npy").path
        let result = try Self.run([Fixtures.path("numpy/subset_small.txt"), output])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("wrote 43 uids (37 distinct)"))
        // Reference bytes: np.save of the sorted array (NumPy 2.4.6, Scripts/fixtures/numpy_fixtures.py).
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: output))) == Fixtures.bytes("numpy/subset_small.npy"))
    }

    @Test("Prints usage without arguments")
    func printsUsage() throws {
        let result = try Self.run([])
        #expect(result.status == 2)
        #expect(result.output.contains("usage: subset-from-uids"))
    }
}
