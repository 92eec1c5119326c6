import Foundation

/// An eval set in clip_benchmark's webdataset layout, as DataComp's `download_evalsets.py`
/// stores it: a folder with `classnames.txt`, `zeroshot_classification_templates.txt`, an
/// optional `dataset_type.txt` and `test/nshards.txt` next to the shards `test/0.tar` …
/// `test/{n-1}.tar`.
///
/// Reading follows clip_benchmark 1.4's `build_wds_dataset`: the type is `dataset_type.txt`
/// stripped and lower-cased (classification when absent); class names and templates are the
/// file's lines (Python's `splitlines`), each stripped, blank lines dropped, so CLEVR Distance's
/// 6-line file with an empty 4th line gives 5 names while its labels still run to 5; the image
/// is the first of `webp`, `png`, `jpg`, `jpeg`; labels are `cls` (ASCII decimal) or, for
/// multi-label sets, `npy`; captions are `txt` split into lines; WILDS and fairness metadata is
/// `npy`.
///
/// ```swift
/// let set = try EvaluationSet(directory: "evalsets/wds_vtab-caltech101_test")
/// print(set.kind, set.classNames.count, set.shardPaths.count)
/// for sample in try set.samples() { print(sample.key, sample.label ?? -1) }
/// ```
public struct EvaluationSet: Sendable, Hashable {
    /// The eval set's folder.
    public let directory: String
    /// The split folder's name (`test`).
    public let split: String
    /// What the set holds.
    public let kind: EvaluationSetKind
    /// The class names in label order (empty for retrieval sets).
    public let classNames: [String]
    /// The number of lines of `classnames.txt`, blank ones included: labels index these lines.
    public let classNameLineCount: Int
    /// The prompt templates (empty for retrieval sets).
    public let templates: [String]
    /// The shard files in order.
    public let shardPaths: [String]

    /// Opens an eval set folder and reads its text files.
    ///
    /// - Parameters:
    ///   - directory: The folder (`…/wds_cifar10_test`).
    ///   - split: The split folder (DataComp evaluates `test`).
    /// - Throws: `DataCompError` naming the file when the folder, `nshards.txt`, a shard it
    ///   announces, or (for classification) `classnames.txt` or the templates file is missing,
    ///   when `nshards.txt` is not a number, or when more shards exist than it announces.
    public init(directory: String, split: String = "test") throws {
        self.directory = directory
        self.split = split
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataCompError(
                .fileNotFound, "no eval set folder here; download the eval sets with DataComp's download_evalsets.py",
                path: directory)
        }
        let typePath = Self.path(directory, "dataset_type.txt")
        if let type = try Self.readText(typePath, optional: true) {
            kind = EvaluationSetKind(rawValue: PythonText.strip(type).lowercased()) ?? .classification
        } else {
            kind = .classification
        }

        let countPath = Self.path(directory, split, "nshards.txt")
        guard let countText = try Self.readText(countPath, optional: true) else {
            throw DataCompError(
                .fileNotFound,
                "the split has no nshards.txt (clip_benchmark requires it since the silent one-shard fallback was removed); download the set again",
                path: countPath)
        }
        guard let shardCount = Int(PythonText.strip(countText)), shardCount >= 0 else {
            throw DataCompError(
                .invalidFormat, "nshards.txt must hold the number of shards, found \"\(countText.prefix(40))\"",
                path: countPath)
        }
        shardPaths = (0..<shardCount).map { Self.path(directory, split, "\($0).tar") }
        for shard in shardPaths where !FileManager.default.fileExists(atPath: shard) {
            throw DataCompError(
                .fileNotFound,
                "nshards.txt announces \(shardCount) shards but this one is missing; download the set again or correct nshards.txt",
                path: shard)
        }
        let extra = Self.path(directory, split, "\(shardCount).tar")
        if FileManager.default.fileExists(atPath: extra) {
            throw DataCompError(
                .invalidFormat,
                "nshards.txt announces \(shardCount) shards but \(shardCount).tar exists too; correct nshards.txt or remove the extra shards",
                path: countPath)
        }

        if kind == .retrieval {
            classNames = []
            classNameLineCount = 0
            templates = []
        } else {
            let namesPath = Self.path(directory, "classnames.txt")
            let templatesPath = Self.path(directory, "zeroshot_classification_templates.txt")
            guard let names = try Self.readText(namesPath, optional: true) else {
                throw DataCompError(
                    .fileNotFound, "a classification set needs its class names, one per line in label order",
                    path: namesPath)
            }
            guard let templateText = try Self.readText(templatesPath, optional: true) else {
                throw DataCompError(
                    .fileNotFound,
                    "a classification set needs its prompt templates, one per line with {c} for the class name (a file with the single line {c} uses the names alone)",
                    path: templatesPath)
            }
            classNames = PythonText.nonBlankStrippedLines(names)
            classNameLineCount = PythonText.splitLines(names).count
            templates = PythonText.nonBlankStrippedLines(templateText)
            if classNames.isEmpty {
                throw DataCompError(.invalidFormat, "the class-name file has no names", path: namesPath)
            }
            if templates.isEmpty {
                throw DataCompError(
                    .invalidFormat, "the template file has no templates; write {c} to use the class names alone",
                    path: templatesPath)
            }
        }
    }

    /// Reads every sample, shard by shard in order.
    ///
    /// - Parameters:
    ///   - readsMetadata: Whether classification samples must carry `npy` metadata (WILDS and
    ///     fairness tasks).
    ///   - readsLabels: Whether classification samples must carry a `cls` label (FairFace and
    ///     UTKFace have none: their `npy` metadata is the target).
    /// - Returns: The samples.
    /// - Throws: `DataCompError` naming the shard and sample for a damaged or truncated shard, a
    ///   sample without an image or label, a label beyond the class-name file's lines, or
    ///   unreadable metadata.
    public func samples(readsMetadata: Bool = false, readsLabels: Bool = true) throws -> [EvaluationSample] {
        var samples: [EvaluationSample] = []
        try forEachSample(readsMetadata: readsMetadata, readsLabels: readsLabels) { samples.append($0) }
        return samples
    }

    /// Calls `body` with every sample, shard by shard in order, holding one shard's file at a
    /// time.
    ///
    /// - Parameters:
    ///   - readsMetadata: Whether classification samples must carry `npy` metadata.
    ///   - readsLabels: Whether classification samples must carry a `cls` label.
    ///   - body: Called once per sample.
    /// - Throws: What ``samples(readsMetadata:readsLabels:)`` throws, or what `body` throws.
    public func forEachSample(
        readsMetadata: Bool = false, readsLabels: Bool = true, _ body: (EvaluationSample) throws -> Void
    ) throws {
        for shard in shardPaths {
            var reader = try WebDatasetShardReader(path: shard)
            while let raw = try reader.next() {
                try body(
                    try DataCompError.attributing(to: shard) {
                        try sample(from: raw, shard: shard, readsMetadata: readsMetadata, readsLabels: readsLabels)
                    })
            }
        }
    }

    private static let imageExtensions = ["webp", "png", "jpg", "jpeg"]

    private func sample(
        from raw: WebDatasetSample, shard: String, readsMetadata: Bool, readsLabels: Bool
    ) throws -> EvaluationSample {
        let position = DataCompError.Position.member(raw.key)
        guard let imageExtension = Self.imageExtensions.first(where: { raw[$0] != nil }),
            let image = raw[imageExtension]
        else {
            throw DataCompError(
                .missingMember,
                "sample \(raw.key) has no image (webp, png, jpg or jpeg); its members are \(raw.fileExtensions)",
                path: shard, position: position)
        }
        var sample = EvaluationSample(key: raw.key, shard: shard, image: image, imageExtension: imageExtension)
        switch kind {
        case .retrieval:
            guard let text = raw["txt"] else {
                throw DataCompError(
                    .missingMember, "retrieval sample \(raw.key) has no txt captions", path: shard, position: position)
            }
            sample.captions = PythonText.splitLines(String(decoding: text, as: UTF8.self))
        case .multilabel:
            guard let npy = raw["npy"] else {
                throw DataCompError(
                    .missingMember, "multi-label sample \(raw.key) has no npy labels", path: shard, position: position)
            }
            let targets = try Self.integers(npy, sample: raw.key, shard: shard)
            guard targets.count == classNames.count else {
                throw DataCompError(
                    .shapeMismatch, "sample \(raw.key) has \(targets.count) labels for \(classNames.count) class names",
                    path: shard, position: position)
            }
            sample.labels = targets.map { $0 != 0 }
        case .classification:
            if readsLabels {
                guard let cls = raw["cls"] else {
                    throw DataCompError(
                        .missingMember, "sample \(raw.key) has no cls label", path: shard, position: position)
                }
                let text = PythonText.strip(String(decoding: cls, as: UTF8.self))
                guard let label = Int(text), label >= 0 else {
                    throw DataCompError(
                        .invalidFormat,
                        "sample \(raw.key) has the label \"\(text.prefix(20))\"; cls must be a non-negative decimal integer",
                        path: shard, position: position)
                }
                guard label < classNameLineCount else {
                    throw DataCompError(
                        .invalidArgument,
                        "sample \(raw.key) has label \(label) but classnames.txt has \(classNameLineCount) lines; the labels and the class names do not belong together",
                        path: shard, position: position)
                }
                sample.label = label
            }
            if readsMetadata {
                guard let npy = raw["npy"] else {
                    throw DataCompError(
                        .missingMember, "sample \(raw.key) has no npy metadata, which this task groups by", path: shard,
                        position: position)
                }
                sample.metadata = try Self.integers(npy, sample: raw.key, shard: shard)
            }
        }
        return sample
    }

    /// The elements of an `npy` member as integers (integer, boolean or integral float arrays).
    static func integers(_ bytes: MemberBytes, sample: String, shard: String) throws -> [Int] {
        let array: NPYArray
        do {
            array = try NPYArray(bytes: bytes)
        } catch let error as DataCompError {
            throw DataCompError(
                error.code, "sample \(sample)'s npy member: \(error.message)", path: shard,
                position: .member(sample + ".npy"))
        }
        switch array.dataType {
        case .int8: return try array.scalars(as: Int8.self).map(Int.init)
        case .int32: return try array.scalars(as: Int32.self).map(Int.init)
        case .int64: return try array.scalars(as: Int64.self).map(Int.init)
        case .uint8: return try array.scalars(as: UInt8.self).map(Int.init)
        case .uint64: return try array.scalars(as: UInt64.self).map { Int(clamping: $0) }
        case .bool: return try array.booleans().map { $0 ? 1 : 0 }
        case .float16, .float32, .float64:
            let values = try array.floats()
            guard values.allSatisfy({ $0.isFinite && $0.rounded() == $0 }) else {
                throw DataCompError(
                    .dtypeMismatch,
                    "sample \(sample)'s npy member holds non-integral values; metadata and labels are integers",
                    path: shard, position: .member(sample + ".npy"))
            }
            return values.map { Int($0) }
        default:
            throw DataCompError(
                .dtypeMismatch, "sample \(sample)'s npy member has dtype \(array.dataType.descr); expected integers",
                path: shard, position: .member(sample + ".npy"))
        }
    }

    private static func path(_ components: String...) -> String {
        components.joined(separator: "/")
    }

    private static func readText(_ path: String, optional: Bool) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataCompError(.io, "cannot read the file", path: path)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
