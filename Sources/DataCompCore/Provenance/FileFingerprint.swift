import Foundation

/// What identifies an input file in a provenance record: its name, size and, where it was
/// counted, its rows; with its SHA-256 for assets.
///
/// A fingerprint is cheap (no file is read for it except where a hash is asked for), so a
/// report can carry one for every metadata file of a pool.
public struct FileFingerprint: Sendable, Hashable {
    /// The file's name, without its folder.
    public var name: String
    /// The size in bytes.
    public var byteCount: Int
    /// The number of rows, when the file is a table.
    public var rowCount: Int?
    /// The SHA-256 of the contents, lowercase hex, when it was computed.
    public var sha256: String?

    /// A fingerprint with the given fields.
    public init(name: String, byteCount: Int, rowCount: Int? = nil, sha256: String? = nil) {
        self.name = name
        self.byteCount = byteCount
        self.rowCount = rowCount
        self.sha256 = sha256
    }

    /// The fingerprint of the file at `path`: its name and size, and its SHA-256 if `hashing`.
    ///
    /// - Throws: ``DataCompError`` if the file cannot be read.
    public init(of path: String, rowCount: Int? = nil, hashing: Bool = false) throws {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw DataCompError(.fileNotFound, "cannot read the file's size: \(error.localizedDescription)", path: path)
        }
        self.name = (path as NSString).lastPathComponent
        self.byteCount = (attributes[.size] as? NSNumber)?.intValue ?? 0
        self.rowCount = rowCount
        self.sha256 = hashing ? try SHA256.hash(fileAt: path).hexString : nil
    }

    /// The fingerprint as a JSON object (`name`, `bytes`, and `rows` / `sha256` when known).
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("bytes", .int(byteCount))]
        if let rowCount { members.append(("rows", .int(rowCount))) }
        if let sha256 { members.append(("sha256", .string(sha256))) }
        return .object(members)
    }
}
