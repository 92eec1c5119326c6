import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@testable import DataCompTraining

/// Shard discovery as DataComp's `train.py` (`get_input_shards`) does it; the expected patterns
/// are what that function returns for the same trees (read from its code: prefix groups sorted,
/// `{0..max}` zero-padded to the first name's width, `meta.json` folders by count and format).
@Suite struct TrainingShardsTests {
    static func touch(_ root: URL, _ names: [String]) throws {
        for name in names {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
    }

    @Test("numbered groups, a resharder folder by meta.json, nested folders and :: joins")
    func patterns() throws {
        let root = try Fixtures.temporaryDirectory("shards")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.touch(
            root,
            [
                "pool/00000000.tar", "pool/00000001.tar", "pool/00000002.tar", "pool/part-0.tar", "pool/part-1.tar",
                "pool/notes.txt", "pool/resharded/00000000.tar", "pool/resharded/00000001.tar",
                "pool/nested/deeper/000.tar", "extra/shard-5.tar",
            ])
        try Data(#"{"output_shard_count": 2, "output_shard_format": "{:08d}.tar"}"#.utf8).write(
            to: root.appendingPathComponent("pool/resharded/meta.json"))
        let pool = root.appendingPathComponent("pool").path
        let shards = try TrainingShards(dataDirectories: [pool])
        // Sub-folders first (in listing order), then the prefix groups sorted by prefix.
        #expect(
            shards.patterns == [
                "\(pool)/nested/deeper/{000..000}.tar", "\(pool)/resharded/{00000000..00000001}.tar",
                "\(pool)/{00000000..00000002}.tar", "\(pool)/part-{0..1}.tar",
            ])
        #expect(shards.paths.count == 1 + 2 + 3 + 2)
        #expect(shards.paths[3] == "\(pool)/00000000.tar")
        #expect(shards.openCLIPTrainData == shards.patterns.joined(separator: "::"))

        let tar = root.appendingPathComponent("extra/shard-5.tar").path
        let joined = try TrainingShards(dataDirectories: ["\(pool)/resharded::\(tar)"])
        #expect(joined.patterns == ["\(pool)/resharded/{00000000..00000001}.tar", tar])
    }

    @Test("a gap in a numbered group, a name without a number, a missing folder or announced shard are DataCompErrors")
    func badTrees() throws {
        let root = try Fixtures.temporaryDirectory("shards-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.touch(root, ["gap/00000000.tar", "gap/00000002.tar", "plain/shard.tar"])
        let gap = try #require(throws: DataCompError.self) {
            try TrainingShards(dataDirectories: [root.appendingPathComponent("gap").path])
        }
        #expect(gap.path?.hasSuffix("gap/00000001.tar") == true)
        let plain = try #require(throws: DataCompError.self) {
            try TrainingShards(dataDirectories: [root.appendingPathComponent("plain").path])
        }
        #expect(plain.path?.hasSuffix("shard.tar") == true)
        #expect(throws: DataCompError.self) {
            try TrainingShards(dataDirectories: [root.appendingPathComponent("absent").path])
        }
        let holder = root.appendingPathComponent("holder")
        try FileManager.default.createDirectory(
            at: holder.appendingPathComponent("out"), withIntermediateDirectories: true)
        try Data(#"{"output_shard_count": 3, "output_shard_format": "{:08d}.tar"}"#.utf8).write(
            to: holder.appendingPathComponent("out/meta.json"))
        try Self.touch(holder, ["out/00000000.tar"])
        let announced = try #require(throws: DataCompError.self) {
            try TrainingShards(dataDirectories: [holder.path])
        }
        #expect(announced.path?.hasSuffix("out/00000001.tar") == true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("none"), withIntermediateDirectories: true)
        let none = try #require(throws: DataCompError.self) {
            try TrainingShards(dataDirectories: [root.appendingPathComponent("none").path])
        }
        #expect(none.message.contains("no .tar shards"))
    }
}
