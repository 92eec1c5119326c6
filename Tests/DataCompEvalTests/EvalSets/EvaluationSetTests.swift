import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct EvaluationSetTests {
    @Test(
        "class names and templates are stripped lines without blanks; labels index the file's lines (CLEVR Distance's quirk)"
    )
    func blankLines() throws {
        let root = try Fixtures.temporaryDirectory("evalset-blank")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try TinyEvalSet.classification(
            in: root, classNames: "very nearby\r\n  nearby \nnear\n\ndistant\nvery distant\n", templates: "\n{c}\n\n",
            labels: ["0", "5", "3 \n"], shards: 2)
        let set = try EvaluationSet(directory: path)
        #expect(set.kind == .classification)
        #expect(set.classNames == ["very nearby", "nearby", "near", "distant", "very distant"])
        #expect(set.classNameLineCount == 6)
        #expect(set.templates == ["{c}"])
        #expect(set.shardPaths.count == 2)
        let samples = try set.samples()
        #expect(samples.map(\.label) == [0, 5, 3])
        #expect(samples.map(\.key) == ["s0000000", "s0000001", "s0000002"])
        #expect(samples.allSatisfy { $0.imageExtension == "jpg" })
    }

    @Test("a missing nshards.txt, a shard it announces but lacks, or an extra shard is a DataCompError naming the file")
    func shardCount() throws {
        let root = try Fixtures.temporaryDirectory("evalset-shards")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try TinyEvalSet.classification(
            in: root, classNames: "a\nb\n", labels: ["0", "1", "0", "1"], shards: 2)
        let countPath = path + "/test/nshards.txt"

        try "3\n".write(toFile: countPath, atomically: true, encoding: .utf8)
        let missing = #expect(throws: DataCompError.self) { try EvaluationSet(directory: path) }
        #expect(missing?.code == .fileNotFound && missing?.path == path + "/test/2.tar")

        try "1\n".write(toFile: countPath, atomically: true, encoding: .utf8)
        let extra = #expect(throws: DataCompError.self) { try EvaluationSet(directory: path) }
        #expect(extra?.code == .invalidFormat && extra?.path == countPath)

        try "two".write(toFile: countPath, atomically: true, encoding: .utf8)
        #expect(throws: DataCompError.self) { try EvaluationSet(directory: path) }

        try FileManager.default.removeItem(atPath: countPath)
        let absent = #expect(throws: DataCompError.self) { try EvaluationSet(directory: path) }
        #expect(absent?.code == .fileNotFound && absent?.path == countPath)
    }

    @Test("a classification set without class names or templates is a DataCompError that says how to fix it")
    func missingTextFiles() throws {
        let root = try Fixtures.temporaryDirectory("evalset-text")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try TinyEvalSet.classification(
            in: root, classNames: "a\nb\n", templates: nil, labels: ["0"], shards: 1)
        let noTemplates = #expect(throws: DataCompError.self) { try EvaluationSet(directory: path) }
        #expect(noTemplates?.path == path + "/zeroshot_classification_templates.txt")
        #expect(noTemplates?.message.contains("{c}") == true)
        try FileManager.default.removeItem(atPath: path + "/classnames.txt")
        let noNames = #expect(throws: DataCompError.self) { try EvaluationSet(directory: path) }
        #expect(noNames?.path == path + "/classnames.txt")
    }

    @Test(
        "a label beyond the class-name file's lines, a non-numeric label or a missing image names the shard and sample")
    func badSamples() throws {
        let root = try Fixtures.temporaryDirectory("evalset-labels")
        defer { try? FileManager.default.removeItem(at: root) }
        let outOfRange = try TinyEvalSet.classification(
            in: root, name: "range", classNames: "a\nb\n", labels: ["0", "2"], shards: 1)
        let error = #expect(throws: DataCompError.self) { try EvaluationSet(directory: outOfRange).samples() }
        #expect(error?.code == .invalidArgument && error?.path == outOfRange + "/test/0.tar")
        #expect(error?.position?.member == "s0000001")

        let text = try TinyEvalSet.classification(
            in: root, name: "text", classNames: "a\nb\n", labels: ["zero"], shards: 1)
        #expect(throws: DataCompError.self) { try EvaluationSet(directory: text).samples() }

        let directory = root.appendingPathComponent("noimage")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("test"), withIntermediateDirectories: true)
        try "a\n".write(to: directory.appendingPathComponent("classnames.txt"), atomically: true, encoding: .utf8)
        try "{c}\n".write(
            to: directory.appendingPathComponent("zeroshot_classification_templates.txt"), atomically: true,
            encoding: .utf8)
        try TinyEvalSet.writeShards(
            [WebDatasetSample(key: "s0000000", members: [.init(fileExtension: "cls", bytes: MemberBytes(utf8: "0"))])],
            to: directory,
            count: 1)
        let noImage = #expect(throws: DataCompError.self) { try EvaluationSet(directory: directory.path).samples() }
        #expect(noImage?.code == .missingMember && noImage?.position?.member == "s0000000")
    }

    @Test("a truncated shard is a DataCompError naming it")
    func truncatedShard() throws {
        let root = try Fixtures.temporaryDirectory("evalset-truncated")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try TinyEvalSet.classification(in: root, classNames: "a\nb\n", labels: ["0", "1", "1"], shards: 1)
        let shard = path + "/test/0.tar"
        let bytes = try Fixtures.bytes(atPath: shard)
        try Data(bytes.prefix(1300)).write(to: URL(fileURLWithPath: shard))
        let error = #expect(throws: DataCompError.self) { try EvaluationSet(directory: path).samples() }
        #expect(error?.path == shard)
    }
}
