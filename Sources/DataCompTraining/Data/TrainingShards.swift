import Foundation

/// The shards of one or more training data folders, found as DataComp's `train.py` finds them
/// (`get_input_shards`), as webdataset brace patterns for OpenCLIP's `--train-data` and as the
/// files they expand to.
///
/// A data folder string may join several folders or `.tar` files with `::`. For a folder:
///
/// - its `*.tar` files are grouped by the name before their trailing digits, and each group
///   becomes `prefix{00000000..N}.tar`, zero-padded to the width of the group's names, from 0 to
///   the largest number (DataComp assumes numbering from 0 without gaps; a gap is an error here,
///   where OpenCLIP would fail mid-run);
/// - a sub-folder with a resharder `meta.json` becomes `sub/{first..last}.tar` from its
///   `output_shard_count` and `output_shard_format`;
/// - other sub-folders are searched the same way.
///
/// ```swift
/// let shards = try TrainingShards(dataDirectories: ["/data/pool::/data/extra"])
/// print(shards.openCLIPTrainData, shards.paths.count)
/// ```
public struct TrainingShards: Sendable, Hashable {
    /// One webdataset brace pattern per shard group, in DataComp's order.
    public let patterns: [String]
    /// The shard files the patterns expand to, in order.
    public let paths: [String]
    /// How many of the patterns each data folder gave, in the order of the folders (DataComp
    /// repeats a folder's `--data_weights` entry once per pattern).
    public let groupCounts: [Int]

    /// The `--train-data` value DataComp passes to OpenCLIP: the patterns joined with `::`.
    public var openCLIPTrainData: String { patterns.joined(separator: "::") }

    /// Finds the shards of data folders.
    ///
    /// - Parameter dataDirectories: Folders or `.tar` files; each string may join several with
    ///   `::`.
    /// - Throws: `DataCompError` naming the folder or file for a missing folder, a folder without
    ///   shards, a shard name without trailing digits, a gap in a numbered group, or an unreadable
    ///   `meta.json`.
    public init(dataDirectories: [String]) throws {
        var patterns: [String] = []
        var paths: [String] = []
        var groupCounts: [Int] = []
        for directory in dataDirectories.flatMap({ $0.components(separatedBy: "::") }) where !directory.isEmpty {
            let found = try Self.shards(of: directory)
            guard !found.patterns.isEmpty else {
                throw DataCompError(
                    .fileNotFound,
                    "the folder has no .tar shards (webdataset, as img2dataset or the resharder writes them)",
                    path: directory)
            }
            patterns += found.patterns
            paths += found.paths
            groupCounts.append(found.patterns.count)
        }
        guard !paths.isEmpty else {
            throw DataCompError(.invalidArgument, "no data folder given")
        }
        self.patterns = patterns
        self.paths = paths
        self.groupCounts = groupCounts
    }

    /// `get_input_shards` for one folder or `.tar` file.
    private static func shards(of path: String) throws -> (patterns: [String], paths: [String]) {
        if path.hasSuffix(".tar") {
            guard FileManager.default.fileExists(atPath: path) else {
                throw DataCompError(.fileNotFound, "no shard here", path: path)
            }
            return ([path], [path])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataCompError(.fileNotFound, "no data folder here", path: path)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw DataCompError(.io, "cannot list the folder: \(error.localizedDescription)", path: path)
        }
        var patterns: [String] = []
        var paths: [String] = []
        var groups: [String: [String]] = [:]
        for name in names {
            let full = path + "/" + name
            if name.hasSuffix(".tar") {
                let stem = String(name.dropLast(4))
                let digits = stem.reversed().prefix { $0.isASCII && $0.isNumber }.count
                guard digits > 0 else {
                    throw DataCompError(
                        .invalidFormat,
                        "the shard name has no trailing number; DataComp's train.py groups shards by prefix + number (00000000.tar)",
                        path: full)
                }
                groups[path + "/" + String(stem.dropLast(digits)), default: []].append(String(stem.suffix(digits)))
                continue
            }
            var isSubfolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isSubfolder), isSubfolder.boolValue else {
                continue
            }
            let meta = full + "/meta.json"
            if FileManager.default.fileExists(atPath: meta) {
                let found = try resharderShards(folder: full, meta: meta)
                patterns.append(found.pattern)
                paths += found.paths
            } else {
                let found = try shards(of: full)
                patterns += found.patterns
                paths += found.paths
            }
        }
        for prefix in groups.keys.sorted() {
            let suffixes = groups[prefix] ?? []
            let numbers = suffixes.compactMap { Int($0) }
            let last = numbers.max() ?? 0
            let width = suffixes.first?.count ?? 1
            let present = Set(numbers)
            if let missing = (0...last).first(where: { !present.contains($0) }) {
                throw DataCompError(
                    .fileNotFound,
                    "shard \(pad(missing, width)).tar is missing from the group \(URL(fileURLWithPath: prefix).lastPathComponent)0…\(pad(last, width)); DataComp's train.py reads every number from 0 to the largest",
                    path: prefix + pad(missing, width) + ".tar")
            }
            patterns.append("\(prefix){\(pad(0, width))..\(pad(last, width))}.tar")
            paths += (0...last).map { prefix + pad($0, width) + ".tar" }
        }
        return (patterns, paths)
    }

    /// A resharder output folder: `{first..last}.tar` from `meta.json`.
    private static func resharderShards(folder: String, meta: String) throws -> (pattern: String, paths: [String]) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: meta)))
        } catch let error as DataCompError {
            throw error.naming(meta)
        } catch {
            throw DataCompError(.io, "cannot read the resharder's meta.json: \(error.localizedDescription)", path: meta)
        }
        guard let count = json["output_shard_count"]?.intValue, count > 0,
            let format = json["output_shard_format"]?.stringValue
        else {
            throw DataCompError(
                .invalidFormat,
                "meta.json needs output_shard_count (> 0) and output_shard_format, as the resharder writes",
                path: meta)
        }
        let names = try (0..<count).map { try formatShard(format, $0, meta: meta) }
        let first = names[0].replacingOccurrences(of: ".tar", with: "")
        let last = names[count - 1].replacingOccurrences(of: ".tar", with: "")
        for name in names where !FileManager.default.fileExists(atPath: folder + "/" + name) {
            throw DataCompError(
                .fileNotFound, "meta.json announces \(count) shards but this one is missing", path: folder + "/" + name)
        }
        return ("\(folder)/{\(first)..\(last)}.tar", names.map { folder + "/" + $0 })
    }

    /// Python's `format` for the shard formats the resharder writes: `{}`, `{:d}`, `{:0Nd}`.
    private static func formatShard(_ format: String, _ index: Int, meta: String) throws -> String {
        guard let open = format.firstIndex(of: "{"), let close = format[open...].firstIndex(of: "}") else {
            throw DataCompError(
                .invalidFormat, "output_shard_format \"\(format)\" has no {} field", path: meta)
        }
        let spec = format[format.index(after: open)..<close]
        let digits: Int
        if spec.isEmpty || spec == ":d" {
            digits = 1
        } else if spec.hasPrefix(":0"), spec.hasSuffix("d"), let width = Int(spec.dropFirst(2).dropLast()) {
            digits = width
        } else {
            throw DataCompError(
                .unsupportedFormat, "output_shard_format \"\(format)\": only {}, {:d} and {:0Nd} are supported",
                path: meta)
        }
        return String(format[..<open]) + pad(index, digits) + String(format[format.index(after: close)...])
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
