import Foundation

/// Locates the golden fixtures that `Scripts/make-fixtures.sh` generated and that are committed
/// under `Tests/Fixtures`.
public enum Fixtures {
    /// The package's root folder, found from this source file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed fixture folder.
    public static let resources: URL = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// The path of a fixture file, relative to the resources folder (for example `npy/f4.npy`).
    public static func path(_ relative: String) -> String {
        resources.appendingPathComponent(relative).path
    }

    /// The bytes of a fixture file.
    public static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: resources.appendingPathComponent(relative)))
    }

    /// The bytes of a file at an absolute path.
    public static func bytes(atPath path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A fresh, empty temporary folder; removed by the caller with `FileManager` if wanted.
    public static func temporaryDirectory(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("datacomp-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Returns whether `a` and `b` agree within an absolute tolerance, elementwise.
public func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
    var worst: Float = 0
    for i in a.indices { worst = max(worst, abs(a[i] - b[i])) }
    return worst
}
