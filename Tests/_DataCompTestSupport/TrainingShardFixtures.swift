import DataCompCore
import Foundation

/// Small image-text training shards for trainer tests: 24×24 JPEGs of one colour (with a little
/// texture) whose caption names the colour.
public enum TrainingShardFixtures {
    /// Writes `count` samples into two shards `00000000.tar` and `00000001.tar` under
    /// `folder/shards`.
    ///
    /// - Parameters:
    ///   - folder: The parent folder.
    ///   - count: The number of samples.
    /// - Returns: The shards' folder.
    /// - Throws: What encoding or writing the files throws.
    public static func write(in folder: URL, count: Int) throws -> String {
        let colours: [(String, [UInt8])] = [
            ("red", [220, 30, 30]), ("green", [30, 200, 40]), ("blue", [30, 40, 220]), ("yellow", [230, 220, 40]),
        ]
        let data = folder.appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for shard in 0..<2 {
            var samples: [WebDatasetSample] = []
            for index in stride(from: shard, to: count, by: 2) {
                let (name, rgb) = colours[index % colours.count]
                let pixels: [UInt8] = (0..<(24 * 24)).flatMap { position -> [UInt8] in
                    rgb.map { UInt8(clamping: Int($0) + (position * 7 + index) % 21 - 10) }
                }
                let jpeg = try Image(width: 24, height: 24, mode: .rgb, pixels: pixels).jpegData(quality: 90)
                samples.append(
                    WebDatasetSample(
                        key: String(format: "%09d", index),
                        members: [
                            .init(fileExtension: "jpg", bytes: MemberBytes(jpeg)),
                            .init(fileExtension: "txt", bytes: MemberBytes(utf8: "a \(name) square")),
                        ]))
            }
            try WebDatasetTarWriter.write(
                samples, to: data.appendingPathComponent(String(format: "%08d.tar", shard)).path)
        }
        return data.path
    }
}
