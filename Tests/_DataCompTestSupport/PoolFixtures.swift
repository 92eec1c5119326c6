import DataCompCore
import Foundation

/// The expectations that `Scripts/fixtures/pool_fixtures.py` wrote with pyarrow 26.0.1 and
/// numpy 2.4.6 (`pool/expected_rows.json`, `pool/expected_stats.json`).
public enum PoolFixtures {
    /// The three-shard metadata folder.
    public static let metadata = Fixtures.path("pool/metadata")
    /// Two shards, the second without its `.npz`.
    public static let missingNPZ = Fixtures.path("pool/missing_npz")
    /// One shard whose `.npz` has one row fewer than its `.parquet`.
    public static let mismatch = Fixtures.path("pool/mismatch")

    /// One shard of `pool/metadata` as pyarrow and numpy read it.
    public struct Shard {
        /// The file stem.
        public var stem: String
        /// The number of rows.
        public var rows: Int
        /// The number of Parquet row groups.
        public var rowGroups: Int
        /// The shard's JSON object.
        public var object: [String: Any]

        /// A string column.
        public func strings(_ key: String) -> [String] { object[key] as? [String] ?? [] }
        /// An integer column.
        public func integers(_ key: String) -> [Int] { (object[key] as? [NSNumber] ?? []).map(\.intValue) }
        /// A float column.
        public func floats(_ key: String) -> [Float] { (object[key] as? [NSNumber] ?? []).map(\.floatValue) }
        /// The face boxes.
        public func boxes() -> [[[Double]]] {
            (object["face_bboxes"] as? [[[NSNumber]]] ?? []).map { $0.map { $0.map(\.doubleValue) } }
        }
        /// The summary of an `.npz` array.
        public func npz(_ key: String) -> [String: Any] {
            (object["npz"] as? [String: Any])?[key] as? [String: Any] ?? [:]
        }
    }

    /// A fixture JSON file as an object.
    public static func jsonObject(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(relative)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// The uids listed (as 32-digit hex strings) under `keys` in the fixture JSON file `relative`,
    /// for example `sampleIDs(in: "filters/expected.json", at: "pool", "clip_l14_fraction_0.3", "uids")`.
    public static func sampleIDs(in relative: String, at keys: String...) throws -> [SampleID] {
        var value: Any = try jsonObject(relative)
        for key in keys { value = (value as? [String: Any])?[key] ?? [] }
        return try (value as? [String] ?? []).map { try SampleID(hex: $0) }
    }

    /// The shards of `pool/metadata` as pyarrow read them.
    public static func shards() throws -> [Shard] {
        let list = try jsonObject("pool/expected_rows.json")["shards"] as? [[String: Any]] ?? []
        return list.map {
            Shard(
                stem: $0["stem"] as? String ?? "", rows: ($0["rows"] as? NSNumber)?.intValue ?? -1,
                rowGroups: ($0["row_groups"] as? NSNumber)?.intValue ?? -1, object: $0)
        }
    }

    /// A temporary copy of a fixture folder, for tests that change files.
    public static func copy(_ folder: String) throws -> String {
        let target = try Fixtures.temporaryDirectory("pool").appendingPathComponent("metadata").path
        try FileManager.default.copyItem(atPath: folder, toPath: target)
        return target
    }
}
