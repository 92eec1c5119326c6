import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// The SLURM example scripts on a real one-node SLURM cluster (slurmctld, slurmd and munge from
/// Debian, 2 CPUs on loopback) that the test command starts with Scripts/slurm/start-cluster.sh
/// and announces through SLURM_CONF: 4 array tasks and the merge equal the single-process subset.
@Suite struct SlurmArrayTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test(
        "A SLURM job array of 4 shares plus the merge equals the single-process subset",
        .enabled(
            if: environment["SLURM_CONF"] != nil,
            "no SLURM cluster: Scripts/test.sh starts one (\(environment["DATACOMP_SLURM_UNAVAILABLE"] ?? "run the tests through Scripts/test.sh"))"
        ))
    func jobArray() throws {
        let folder = try Fixtures.temporaryDirectory("slurm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = folder.appendingPathComponent("parts").path
        let output = folder.appendingPathComponent("subset.npy").path
        let filter = [
            "--name", "clip_score", "--metadata-dir", Fixtures.path("baselines/metadata"), "--arch", "l14",
            "--fraction",
            "0.3",
        ]
        var environment = Self.environment
        environment["DATACOMP"] = CommandRunner.executable.path
        let script = Fixtures.packageRoot.appendingPathComponent("Examples/slurm/submit.sh").path
        let submitted = try Self.shell(["bash", script, "4", parts, output] + filter, environment: environment)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        let jobs = submitted.standardOutput.split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(jobs.count == 2)
        // Wait for the merge job (it runs after all 4 array tasks succeeded).
        let deadline = Date().addingTimeInterval(240)
        while !FileManager.default.fileExists(atPath: output), Date() < deadline { Thread.sleep(forTimeInterval: 1) }
        #expect(FileManager.default.fileExists(atPath: output), "the merge job wrote no subset within 4 minutes")
        let partFolders = try FileManager.default.contentsOfDirectory(atPath: parts).filter { $0.hasPrefix("part-") }
        #expect(partFolders.sorted() == ["part-0", "part-1", "part-2", "part-3"])
        let single = folder.appendingPathComponent("single.npy").path
        let run = try CommandRunner.run(["filter"] + filter + ["--save-path", single])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Fixtures.bytes(atPath: single) == (try Fixtures.bytes(atPath: output)))
        #expect(
            Array(try SubsetFile.read(from: output))
                == (try PoolFixtures.sampleIDs(
                    in: "baselines/expected.json", at: "variants", "clip_score_l14_fraction_0.3", "uids")))
    }

    static func shell(_ arguments: [String], environment: [String: String]) throws -> CommandRunner.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRunner.Result(
            status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self))
    }
}
