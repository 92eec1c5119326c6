import Foundation

/// An eval set DataComp loads with Hugging Face `datasets` (Flickr 1k, MSCOCO 5k and WinoGAViL,
/// `nlphuji/*`), read from the cache `download_evalsets.py` fills (`DIR/hf_cache`), without
/// Python.
///
/// `datasets.load_dataset(name, split="test", cache_dir=DIR/hf_cache)` prepares each set as Arrow
/// IPC stream files under `hf_cache/<owner>___<name>/<config>/<version>/<hash>/`, named
/// `<name>-test.arrow` (or `<name>-test-00000-of-0000N.arrow` when large). Those files are read
/// here in shard order, rows in file order, as `load_dataset` returns them; when the cache holds
/// several prepared versions, the most recently written one is used, and unfinished ones
/// (`*.incomplete`) are ignored.
///
/// Images are `datasets`' `Image()` values: a struct of `bytes` and `path`. Embedded bytes are
/// used as they are; otherwise the image is the file at `path`, which for a loading-script
/// dataset is an absolute path into `hf_cache/downloads/extracted/…`. When the cache has been
/// moved (the path no longer exists), the part after `downloads/` is looked up in this cache's
/// own `downloads` folder.
///
/// ```swift
/// let flickr = try HuggingFaceEvalSet(
///     dataset: "nlphuji/flickr_1k_test_image_text_retrieval", cacheDirectory: "/data/evalsets/hf_cache")
/// let samples = try flickr.retrievalSamples()
/// print(samples.count, samples[0].captions ?? [])
/// ```
public struct HuggingFaceEvalSet: Sendable, Hashable {
    /// The dataset's hub name (`nlphuji/winogavil`).
    public let dataset: String
    /// The split (`test`).
    public let split: String
    /// The `datasets` cache folder (`DIR/hf_cache`).
    public let cacheDirectory: String
    /// The Arrow files of the split, in shard order.
    public let arrowFiles: [String]

    /// Finds a dataset's prepared split in a `datasets` cache.
    ///
    /// - Parameters:
    ///   - dataset: The hub name, `owner/name`.
    ///   - split: The split.
    ///   - cacheDirectory: The cache folder.
    /// - Throws: `DataCompError` with code `fileNotFound` when the cache holds no prepared split
    ///   of the dataset, saying how to download it.
    public init(dataset: String, split: String = "test", cacheDirectory: String) throws {
        guard let files = Self.locate(dataset: dataset, split: split, cacheDirectory: cacheDirectory) else {
            throw DataCompError(
                .fileNotFound,
                "no prepared \(split) split of \(dataset) in this Hugging Face cache (expected \(Self.folderName(dataset))/…/*-\(split).arrow); run DataComp's download_evalsets.py, which calls datasets.load_dataset with this cache_dir",
                path: cacheDirectory)
        }
        self.init(dataset: dataset, split: split, cacheDirectory: cacheDirectory, arrowFiles: files)
    }

    /// A split already located with ``locate(dataset:split:cacheDirectory:)``.
    init(dataset: String, split: String, cacheDirectory: String, arrowFiles: [String]) {
        self.dataset = dataset
        self.split = split
        self.cacheDirectory = cacheDirectory
        self.arrowFiles = arrowFiles
    }

    /// The cache folder `datasets` uses for a hub dataset: `owner___name`.
    static func folderName(_ dataset: String) -> String {
        dataset.replacingOccurrences(of: "/", with: "___")
    }

    /// The Arrow files of a prepared split, or `nil` when there is none.
    ///
    /// - Parameters:
    ///   - dataset: The hub name.
    ///   - split: The split.
    ///   - cacheDirectory: The cache folder.
    /// - Returns: The files in shard order.
    public static func locate(dataset: String, split: String = "test", cacheDirectory: String) -> [String]? {
        let root = cacheDirectory + "/" + folderName(dataset)
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return nil }
        var groups: [String: [String]] = [:]
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".arrow"), !relative.contains(".incomplete"), !relative.contains("/tmp") else {
                continue
            }
            let name = URL(fileURLWithPath: relative).lastPathComponent
            let stem = String(name.dropLast(".arrow".count))
            let isSplit =
                stem.hasSuffix("-" + split)
                || stem.range(of: "-\(split)-[0-9]+-of-[0-9]+$", options: .regularExpression) != nil
            guard isSplit else { continue }
            let full = root + "/" + relative
            groups[URL(fileURLWithPath: full).deletingLastPathComponent().path, default: []].append(full)
        }
        func modified(_ folder: String) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: folder))?[.modificationDate] as? Date) ?? .distantPast
        }
        guard let newest = groups.keys.max(by: { (modified($0), $0) < (modified($1), $1) }) else { return nil }
        return groups[newest]?.sorted()
    }

    /// The rows of a retrieval set (`image`, `caption` = list of strings) as retrieval samples:
    /// key `row N`, the Arrow file as shard.
    ///
    /// - Returns: The samples in `load_dataset`'s order.
    /// - Throws: `DataCompError` naming the file and row for a missing column, a row without an
    ///   image or captions, or an image file that cannot be found.
    public func retrievalSamples() throws -> [EvaluationSample] {
        var samples: [EvaluationSample] = []
        for file in arrowFiles {
            let table = try ArrowIPCFile(path: file)
            let images = try table.column(named: "image")
            let captions = try table.column(named: "caption")
            for row in 0..<table.rowCount {
                let image = try self.image(images[row], file: file, row: row)
                let texts: [String]
                if let list = captions[row].arrayValue {
                    texts = list.compactMap(\.stringValue)
                } else if let single = captions[row].stringValue {
                    texts = [single]
                } else {
                    throw DataCompError(
                        .invalidFormat, "row \(row) has no captions (caption is null)", path: file,
                        position: .row(row))
                }
                samples.append(
                    EvaluationSample(
                        key: "row \(samples.count)", shard: file, image: image, imageExtension: "", captions: texts))
            }
        }
        return samples
    }

    /// The rows of WinoGAViL (`cue`, `candidates`, `associations`, `candidate_images`) as
    /// instances.
    ///
    /// - Returns: The instances in `load_dataset`'s order.
    /// - Throws: `DataCompError` naming the file and row for a missing column or value, or a
    ///   candidate count that differs from the image count.
    public func winoGAViLInstances() throws -> [WinoGAViLEvaluator.Instance] {
        var instances: [WinoGAViLEvaluator.Instance] = []
        for file in arrowFiles {
            let table = try ArrowIPCFile(path: file)
            let cues = try table.column(named: "cue")
            let candidates = try table.column(named: "candidates")
            let associations = try table.column(named: "associations")
            let images = try table.column(named: "candidate_images")
            for row in 0..<table.rowCount {
                guard let cue = cues[row].stringValue,
                    let names = candidates[row].arrayValue?.compactMap(\.stringValue),
                    let associated = associations[row].arrayValue?.compactMap(\.stringValue),
                    let pictures = images[row].arrayValue
                else {
                    throw DataCompError(
                        .invalidFormat, "row \(row) lacks its cue, candidates, associations or candidate images",
                        path: file, position: .row(row))
                }
                guard pictures.count == names.count else {
                    throw DataCompError(
                        .shapeMismatch, "row \(row) has \(names.count) candidates but \(pictures.count) images",
                        path: file, position: .row(row))
                }
                instances.append(
                    WinoGAViLEvaluator.Instance(
                        cue: cue, candidates: names, associations: associated,
                        images: try pictures.map { try image($0, file: file, row: row) }))
            }
        }
        return instances
    }

    /// An `Image()` value: embedded bytes, or the file at its path (re-rooted into this cache's
    /// `downloads` folder when the recorded path is gone).
    private func image(_ value: ArrowValue, file: String, row: Int) throws -> MemberBytes {
        if let bytes = value.bytesValue { return bytes }
        if let bytes = value[field: "bytes"]?.bytesValue { return bytes }
        guard let path = value[field: "path"]?.stringValue ?? value.stringValue, !path.isEmpty else {
            throw DataCompError(
                .invalidFormat, "row \(row) has an image with neither bytes nor a path", path: file,
                position: .row(row))
        }
        var candidates = [path]
        if let range = path.range(of: "/downloads/", options: .backwards) {
            candidates.append(cacheDirectory + "/downloads/" + path[range.upperBound...])
        }
        if !path.hasPrefix("/") {
            candidates.append(URL(fileURLWithPath: file).deletingLastPathComponent().path + "/" + path)
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw DataCompError(
                .fileNotFound,
                "row \(row)'s image is not at its recorded path \(path) nor in this cache's downloads folder; the cache was moved without its downloads/ folder or cleaned: run download_evalsets.py again",
                path: file, position: .row(row))
        }
        let mapped = try MappedFile(path: found)
        return MemberBytes(mapping: mapped, range: 0..<mapped.bytes.count)
    }
}
