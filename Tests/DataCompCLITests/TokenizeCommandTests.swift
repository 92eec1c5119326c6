import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct TokenizeCommandTests {
    /// The first fixture captions and their OpenCLIP 3.3.0 rows (Scripts/fixtures/tokenizer_fixtures.py).
    static func fixtureCases(_ count: Int) throws -> [(text: String, row: [Int64])] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tokenizer/captions.json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        return try cases.prefix(count).map { item in
            let ids = try #require(item["ids"] as? [NSNumber]).map { $0.int64Value }
            return (try #require(item["text"] as? String), ids + [Int64](repeating: 0, count: 77 - ids.count))
        }
    }

    @Test("tokenize writes open_clip.tokenize's int64 [N, 77] rows, one caption per line")
    func tokenizesLines() throws {
        let folder = try Fixtures.temporaryDirectory("cli-tokenize")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Captions with "\n" cannot be lines.
        let cases = try Self.fixtureCases(300).filter { !$0.text.contains("\n") }
        let input = folder.appendingPathComponent("captions.txt").path
        try AtomicFile.write(Array(cases.map { $0.text + "\n" }.joined().utf8), to: input)
        let output = folder.appendingPathComponent("ids.npy").path
        let result = try CommandRunner.run(["tokenize", "--input", input, "--output", output, "--threads", "2"])
        #expect(result.status == 0, "\(result.standardError)")
        let array = try NPYArray(contentsOfFile: output)
        #expect(array.shape == [cases.count, 77])
        let ids = try array.scalars(as: Int64.self)
        #expect(ids == cases.flatMap(\.row))
    }

    @Test("tokenize honours --context-length and keeps a last line without a newline")
    func honoursContextLength() throws {
        let folder = try Fixtures.temporaryDirectory("cli-tokenize")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("captions.txt").path
        try AtomicFile.write(Array("a photo of a cat.\n\na diagram.".utf8), to: input)
        let output = folder.appendingPathComponent("ids.npy").path
        let result = try CommandRunner.run(["tokenize", "--input", input, "--output", output, "--context-length", "4"])
        #expect(result.status == 0, "\(result.standardError)")
        let array = try NPYArray(contentsOfFile: output)
        #expect(array.shape == [3, 4])
        // open_clip.tokenize(["a photo of a cat.", "", "a diagram."], context_length=4), open_clip 3.3.0.
        #expect(
            try array.scalars(as: Int64.self) == [
                49406, 320, 1125, 49407, 49406, 49407, 0, 0, 49406, 320, 22697, 49407,
            ])
    }

    @Test("tokenize names the line that is not UTF-8 and writes nothing")
    func rejectsInvalidUTF8() throws {
        let folder = try Fixtures.temporaryDirectory("cli-tokenize")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("captions.txt").path
        try AtomicFile.write(Array("fine\nalso fine\nbad \u{FF}".utf8).map { $0 == 0xC3 ? 0xFF : $0 }, to: input)
        let output = folder.appendingPathComponent("ids.npy").path
        let result = try CommandRunner.run(["tokenize", "--input", input, "--output", output])
        #expect(result.status != 0)
        #expect(result.standardError.contains("line 3"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("assets list names every asset with its environment variable and sha256")
    func listsAssets() throws {
        let result = try CommandRunner.run(["assets", "list"])
        #expect(result.status == 0)
        for asset in Asset.all {
            #expect(result.standardOutput.contains(asset.environmentVariable))
            #expect(result.standardOutput.contains(asset.sha256))
        }
    }
}
