import DataCompCore
import Foundation

extension PartialFilterResult {
    /// The format name written in `part.json`.
    static let formatName = "datacomp-swift partial filter result"

    /// Writes the partial result as a folder at `path` (see the type's documentation for its
    /// files), built under a temporary name beside it and renamed when complete; a previous
    /// partial result at `path` is replaced, anything else there is refused.
    ///
    /// - Throws: `DataCompError` with code `invalidArgument` if `path` is a file or a folder that
    ///   is not a partial result, or `io`.
    public func write(to path: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && !(isDirectory.boolValue && manager.fileExists(atPath: path + "/part.json")) {
            throw DataCompError(
                .invalidArgument,
                "a share writes a folder of partial results, and this path holds something else; choose a new path (the merge takes the folders)",
                path: path)
        }
        let parent = (path as NSString).deletingLastPathComponent
        let temporary =
            (parent.isEmpty ? "." : parent) + "/.\((path as NSString).lastPathComponent).partial-\(getpid())"
        try? manager.removeItem(atPath: temporary)
        do {
            try manager.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw DataCompError(.io, "cannot create the folder: \(error.localizedDescription)", path: temporary)
        }
        let m = selections.count
        try SubsetFile.write(Subset(trace.fixedKept), to: temporary + "/kept.npy")
        try NPYArray(shape: [scores.count / max(m, 1), m], scalars: scores).write(to: temporary + "/scores.npy")
        try NPYArray(sampleIDs: trace.pendingUIDs).write(to: temporary + "/pending_uids.npy")
        try NPYArray(shape: [trace.pendingSignatures.count], scalars: trace.pendingSignatures)
            .write(to: temporary + "/pending_signatures.npy")
        try NPYArray(shape: [trace.pendingUIDs.count, m], scalars: trace.pendingScores)
            .write(to: temporary + "/pending_scores.npy")
        let json = manifest.serialized(indent: 1) + "\n"
        try AtomicFile.write(Array(json.utf8), to: temporary + "/part.json")
        let old = temporary + ".old"
        do {
            if exists { try manager.moveItem(atPath: path, toPath: old) }
            try manager.moveItem(atPath: temporary, toPath: path)
            if exists { try? manager.removeItem(atPath: old) }
        } catch {
            throw DataCompError(
                .io, "cannot move the partial result into place: \(error.localizedDescription)", path: path)
        }
    }

    private var manifest: JSONValue {
        .object([
            ("format", .string(Self.formatName)), ("version", .int(1)),
            ("share", .object([("index", .int(share.index)), ("count", .int(share.count))])),
            ("strategy", .string(strategy)), ("parameters", .object(parameters)),
            ("assets", .array(assets.map(\.jsonValue))),
            ("pool_files", .array(poolFiles.map(JSONValue.string))),
            (
                "files",
                .array(
                    files.map { file in
                        var members = file.fingerprint.jsonValue.objectMembers ?? []
                        members.insert(("position", .int(file.position)), at: 0)
                        return .object(members)
                    })
            ),
            (
                "selections",
                .array(
                    selections.map {
                        .object([("selection", .string($0.description)), ("fraction", .double($0.fraction))])
                    })
            ),
            ("calls", .array(trace.calls.map(JSONValue.string))),
            ("masked", .array(trace.masked.map(JSONValue.bool))),
            ("settled_counts", .array(trace.fixedCounts.map { .array([.int($0.seen), .int($0.kept)]) })),
            ("signatures", .array(trace.signatures.map { .string($0.map { String(format: "%02x", $0) }.joined()) })),
            ("tool", .string(DataCompVersion.toolName)), ("elapsed_seconds", .double(elapsedSeconds)),
        ])
    }

    /// Reads the partial result a share wrote at `path`.
    ///
    /// - Throws: `DataCompError` naming the file: `fileNotFound` when `path` is not a partial
    ///   result folder, `invalidFormat` when `part.json` is malformed or disagrees with the
    ///   arrays beside it, and the NumPy readers' errors.
    public init(contentsOfDirectory path: String) throws {
        let manifestPath = path + "/part.json"
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw DataCompError(
                .fileNotFound,
                "not a partial filter result (no part.json); pass the folders that `datacomp filter --shard-index` wrote",
                path: path)
        }
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: manifestPath)), as: UTF8.self)
        } catch {
            throw DataCompError(.io, "cannot read: \(error.localizedDescription)", path: manifestPath)
        }
        let json = try DataCompError.attributing(to: manifestPath) { try JSONValue(parsing: text) }
        func field<T>(_ name: String, _ value: T?) throws -> T {
            guard let value else {
                throw DataCompError(.invalidFormat, "part.json has no valid '\(name)'", path: manifestPath)
            }
            return value
        }
        guard json["format"]?.stringValue == Self.formatName, json["version"]?.intValue == 1 else {
            throw DataCompError(
                .invalidFormat, "not a partial filter result of this tool (format or version differs)",
                path: manifestPath)
        }
        let shareIndex = try field("share.index", json["share"]?["index"]?.intValue)
        let shareCount = try field("share.count", json["share"]?["count"]?.intValue)
        guard shareCount >= 1, shareIndex >= 0, shareIndex < shareCount else {
            throw DataCompError(
                .invalidFormat, "share \(shareIndex) of \(shareCount) is impossible", path: manifestPath)
        }
        func fingerprint(_ value: JSONValue) throws -> FileFingerprint {
            FileFingerprint(
                name: try field("name", value["name"]?.stringValue),
                byteCount: try field("bytes", value["bytes"]?.intValue),
                rowCount: value["rows"]?.intValue, sha256: value["sha256"]?.stringValue)
        }
        let selections = try field("selections", json["selections"]?.arrayValue).map {
            (try field("selection", $0["selection"]?.stringValue), try field("fraction", $0["fraction"]?.doubleValue))
        }
        var trace = ShareTrace(
            calls: try field("calls", json["calls"]?.arrayValue).map { try field("calls", $0.stringValue) },
            masked: try field("masked", json["masked"]?.arrayValue).map { try field("masked", $0.boolValue) },
            fixedCounts: try field("settled_counts", json["settled_counts"]?.arrayValue).map {
                let pair = try field("settled_counts", $0.arrayValue)
                guard pair.count == 2 else {
                    throw DataCompError(.invalidFormat, "bad settled_counts", path: manifestPath)
                }
                return (try field("settled_counts", pair[0].intValue), try field("settled_counts", pair[1].intValue))
            },
            signatures: try field("signatures", json["signatures"]?.arrayValue).map {
                try Self.bytes(hex: try field("signatures", $0.stringValue), path: manifestPath)
            })
        let m = selections.count
        trace.fixedKept = Array(try SubsetFile.read(from: path + "/kept.npy"))
        trace.pendingUIDs = try NPYArray(contentsOfFile: path + "/pending_uids.npy").sampleIDs()
        let signatures = try NPYArray(contentsOfFile: path + "/pending_signatures.npy")
        trace.pendingSignatures = try DataCompError.attributing(to: path + "/pending_signatures.npy") {
            try signatures.scalars(as: Int32.self)
        }
        let pendingScores = try NPYArray(contentsOfFile: path + "/pending_scores.npy")
        trace.pendingScores = try DataCompError.attributing(to: path + "/pending_scores.npy") {
            try pendingScores.scalars(as: Float.self)
        }
        let scoreArray = try NPYArray(contentsOfFile: path + "/scores.npy")
        let scores = try DataCompError.attributing(to: path + "/scores.npy") { try scoreArray.scalars(as: Float.self) }
        let files = try field("files", json["files"]?.arrayValue).map {
            (position: try field("position", $0["position"]?.intValue), fingerprint: try fingerprint($0))
        }
        let rows = files.reduce(0) { $0 + ($1.fingerprint.rowCount ?? 0) }
        let maskedCount = trace.masked.filter { $0 }.count
        let signatureBytes = (1 << m) * (1 + (maskedCount * 2 + 7) / 8)
        guard trace.calls.count == trace.masked.count, trace.calls.count == trace.fixedCounts.count,
            trace.pendingSignatures.count == trace.pendingUIDs.count,
            trace.pendingScores.count == trace.pendingUIDs.count * m, scores.count == rows * m,
            trace.pendingSignatures.allSatisfy({ $0 >= 0 && Int($0) < trace.signatures.count }),
            trace.signatures.allSatisfy({ $0.count == signatureBytes })
        else {
            throw DataCompError(
                .invalidFormat,
                "the arrays of the partial result disagree with part.json (row counts or signatures); rerun the share",
                path: path)
        }
        self.init(
            share: FilterShare(index: shareIndex, of: shareCount),
            strategy: try field("strategy", json["strategy"]?.stringValue),
            parameters: try field("parameters", json["parameters"]?.objectMembers),
            assets: try field("assets", json["assets"]?.arrayValue).map(fingerprint),
            poolFiles: try field("pool_files", json["pool_files"]?.arrayValue).map {
                try field("pool_files", $0.stringValue)
            },
            files: files, selections: selections,
            elapsedSeconds: json["elapsed_seconds"]?.doubleValue ?? 0, trace: trace, scores: scores)
    }

    private static func bytes(hex: String, path: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else {
            throw DataCompError(.invalidFormat, "a signature of odd length", path: path)
        }
        return try stride(from: 0, to: digits.count, by: 2).map {
            guard let byte = UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16) else {
                throw DataCompError(.invalidFormat, "a signature that is not hexadecimal", path: path)
            }
            return byte
        }
    }
}
