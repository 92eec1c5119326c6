import DataCompEval
import Foundation
import _DataCompTestSupport

/// Writes small eval sets in the clip_benchmark webdataset layout for tests of the reader and of
/// bad input: 8×8 one-colour JPEG images that encode an id as `IdentifierEncoder` reads it.
enum TinyEvalSet {
    /// The JPEG of the one-colour image encoding `id`.
    static func image(id: Int) throws -> MemberBytes {
        let red = UInt8((id % 64) * 4 + 2)
        let green = UInt8((id / 64) * 4 + 2)
        let pixels: [UInt8] = (0..<64).flatMap { _ -> [UInt8] in [red, green, 128] }
        return MemberBytes(try Image(width: 8, height: 8, mode: .rgb, pixels: pixels).jpegData(quality: 95))
    }

    /// Writes a classification set: `labels[i]` for image id `i`, split into `shards` shards.
    @discardableResult
    static func classification(
        in root: URL, name: String = "wds_cifar10_test", classNames: String, templates: String? = "a photo of a {c}.",
        labels: [String], shards: Int = 2, metadata: [[Int64]]? = nil,
        extraMembers: [Int: [WebDatasetSample.Member]] = [:]
    ) throws -> String {
        let directory = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("test"), withIntermediateDirectories: true)
        try classNames.write(to: directory.appendingPathComponent("classnames.txt"), atomically: true, encoding: .utf8)
        if let templates {
            try templates.write(
                to: directory.appendingPathComponent("zeroshot_classification_templates.txt"), atomically: true,
                encoding: .utf8)
        }
        var samples: [WebDatasetSample] = []
        for (index, label) in labels.enumerated() {
            var members = [
                WebDatasetSample.Member(fileExtension: "jpg", bytes: try image(id: index)),
                WebDatasetSample.Member(fileExtension: "cls", bytes: MemberBytes(utf8: label)),
            ]
            if let metadata {
                members.append(
                    WebDatasetSample.Member(
                        fileExtension: "npy",
                        bytes: MemberBytes(NPYArray(shape: [metadata[index].count], scalars: metadata[index]).encoded())
                    ))
            }
            members += extraMembers[index] ?? []
            samples.append(WebDatasetSample(key: String(format: "s%07d", index), members: members))
        }
        try writeShards(samples, to: directory, count: shards)
        return directory.path
    }

    /// Splits samples into `count` shards and writes `test/nshards.txt`.
    static func writeShards(_ samples: [WebDatasetSample], to directory: URL, count: Int) throws {
        let perShard = max(1, (samples.count + count - 1) / count)
        for shard in 0..<count {
            let part = samples.dropFirst(shard * perShard).prefix(perShard)
            try WebDatasetTarWriter.write(part, to: directory.appendingPathComponent("test/\(shard).tar").path)
        }
        try "\(count)\n".write(
            to: directory.appendingPathComponent("test/nshards.txt"), atomically: true, encoding: .utf8)
    }
}
