import DataCompCore
import Foundation
import _DataCompTestSupport

/// The expectations that `Scripts/fixtures/pool_fixtures.py` wrote with pyarrow 26.0.1 and
/// numpy 2.4.6 (`pool/expected_rows.json`, `pool/expected_stats.json`).
enum PoolFixtures {
    static let metadata = Fixtures.path("pool/metadata")
    static let missingNPZ = Fixtures.path("pool/missing_npz")
    static let mismatch = Fixtures.path("pool/mismatch")

    /// One shard of `pool/metadata` as pyarrow and numpy read it.
    struct Shard {
        var stem: String
        var rows: Int
        var rowGroups: Int
        var object: [String: Any]

        func strings(_ key: String) -> [String] { object[key] as? [String] ?? [] }
        func integers(_ key: String) -> [Int] { (object[key] as? [NSNumber] ?? []).map(\.intValue) }
        func floats(_ key: String) -> [Float] { (object[key] as? [NSNumber] ?? []).map(\.floatValue) }
        func boxes() -> [[[Double]]] { (object["face_bboxes"] as? [[[NSNumber]]] ?? []).map { $0.map { $0.map(\.doubleValue) } } }
        func npz(_ key: String) -> [String: Any] { (object["npz"] as? [String: Any])?[key] as? [String: Any] ?? [:] }
    }

    static func jsonObject(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(relative)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func shards() throws -> [Shard] {
        let list = try jsonObject("pool/expected_rows.json")["shards"] as? [[String: Any]] ?? []
        return list.map {
            Shard(stem: $0["stem"] as? String ?? "", rows: ($0["rows"] as? NSNumber)?.intValue ?? -1,
                  rowGroups: ($0["row_groups"] as? NSNumber)?.intValue ?? -1, object: $0)
        }
    }

    /// A temporary copy of a fixture folder, for tests that change files.
    static func copy(_ folder: String) throws -> String {
        let target = try Fixtures.temporaryDirectory("pool").appendingPathComponent("metadata").path
        try FileManager.default.copyItem(atPath: folder, toPath: target)
        return target
    }
}
