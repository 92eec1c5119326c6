import Foundation
import Testing
import _DataCompTestSupport

@Suite struct SubsetCommandTests {
    @Test("subset create writes np.save's bytes and subset show prints them back in order")
    func createsAndShows() throws {
        let folder = try Fixtures.temporaryDirectory("cli-subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("subset.npy").path
        let create = try CommandRunner.run([
            "subset", "create", "--uids", Fixtures.path("numpy/subset_small.txt"), "--output", output,
        ])
        #expect(create.status == 0, "\(create.standardError)")
        // Reference: np.save of the sorted array (NumPy 2.4.6, Scripts/fixtures/numpy_fixtures.py); exact bytes.
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: output))) == Fixtures.bytes("numpy/subset_small.npy"))
        let show = try CommandRunner.run(["subset", "show", output])
        #expect(show.status == 0)
        let expected = try String(contentsOfFile: Fixtures.path("numpy/subset_small_sorted.txt"), encoding: .utf8)
        #expect(show.standardOutput == expected)
    }

    @Test("subset create names the line of a bad uid")
    func namesBadLine() throws {
        let folder = try Fixtures.temporaryDirectory("cli-subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("uids.txt")
        try "139e4a9b22a614771f06c700a8ebe150\n\n139e4a9b22a614771f06c700a8ebe15\n".write(
            to: input, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.npy").path
        let result = try CommandRunner.run(["subset", "create", "--uids", input.path, "--output", output])
        #expect(result.status != 0)
        #expect(result.standardError.contains("line 3"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("subset show reports unsorted files")
    func showRejectsUnsorted() throws {
        let result = try CommandRunner.run(["subset", "show", Fixtures.path("numpy/subset_unsorted.npy")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("row 11"))
    }

    @Test("inspect summarizes .npy and .npz files")
    func inspectsNumPyFiles() throws {
        let npy = try CommandRunner.run(["inspect", Fixtures.path("numpy/subset_small.npy")])
        #expect(npy.status == 0)
        #expect(npy.standardOutput.contains("\"descr\": \"[('f0', '<u8'), ('f1', '<u8')]\""))
        #expect(npy.standardOutput.contains("\"data_offset\": 128"))
        let npz = try CommandRunner.run(["inspect", Fixtures.path("numpy/compressed.npz")])
        #expect(npz.status == 0)
        #expect(npz.standardOutput.contains("\"compression\": \"deflated\""))
        #expect(npz.standardOutput.contains("\"key\": \"flags\""))
        #expect(npz.standardOutput.contains("\"descr\": \"|b1\""))
    }
}
