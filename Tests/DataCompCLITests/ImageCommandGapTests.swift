import Foundation
import Testing
import _DataCompTestSupport

@Suite struct ImageCommandGapTests {
    @Test("inspect recognises images by content (.mpo, .apng) and tars by .tar.gz")
    func inspectSniffs() throws {
        for (name, format) in [("images-gaps/photo.mpo", "\"JPEG\""), ("images-gaps/frames.apng", "\"PNG\"")] {
            let result = try CommandRunner.run(["inspect", Fixtures.path(name)])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains(format))
        }
        let tar = try CommandRunner.run(["inspect", Fixtures.path("webdataset-gaps/shard.tar.gz")])
        #expect(tar.status == 0, "\(tar.standardError)")
        #expect(tar.standardOutput.contains("\"samples\": 3"))
    }

    @Test("preprocess refuses a 9,586,981 × 1 PNG with an error, not a crash")
    func preprocessRefusesExtremeStrips() throws {
        let folder = try Fixtures.temporaryDirectory("strip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.npy").path
        let result = try CommandRunner.run([
            "preprocess", "--image", Fixtures.path("images-gaps/strip.png"), "--output", output,
        ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("unsupportedFormat"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
