import DataCompCore
import Foundation

/// Keeps the samples whose caption has a word whose first WordNet synset is in a set of synsets:
/// the entity rule of DataComp's `text_based` baseline (`does_contain_text_entity`), with the
/// ImageNet-21k synsets.
///
/// Words are Python's `text.split()` (no lower-casing or punctuation stripping beyond NLTK's
/// own lower-casing, so "dog," finds no synset); a word's synset is NLTK's
/// `wordnet.synsets(word)[0]`, compared by offset only (its part of speech is not checked, as in
/// DataComp).
public struct SynsetEntityFilter: FilterStrategy {
    /// The WordNet database.
    public let wordnet: WordNet
    /// The synset offsets that count (ImageNet-21k's for DataComp).
    public let offsets: Set<Int>
    /// The file the offsets came from, recorded in reports.
    public let offsetsPath: String?

    /// Keeps captions with a word whose first synset's offset is in `offsets`.
    public init(wordnet: WordNet, offsets: Set<Int>, offsetsPath: String? = nil) {
        self.wordnet = wordnet
        self.offsets = offsets
        self.offsetsPath = offsetsPath
    }

    /// Keeps captions naming an ImageNet-21k synset, with the id list at `path` (one WordNet id
    /// such as `n01440764` per line: the letter is dropped and the rest read as the offset).
    ///
    /// - Throws: `DataCompError` if the list cannot be read or a line is not a WordNet id.
    public init(wordnet: WordNet, synsetListAt path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataCompError(.fileNotFound, "cannot read the synset id list", path: path)
        }
        var offsets = Set<Int>()
        for (number, line) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let id = line.trimmingCharacters(in: .whitespaces)
            if id.isEmpty { continue }
            guard id.count > 1, let offset = Int(id.dropFirst()) else {
                throw DataCompError(
                    .invalidFormat, "not a WordNet id such as n01440764: '\(id.prefix(40))'", path: path,
                    position: .line(number + 1))
            }
            offsets.insert(offset)
        }
        self.init(wordnet: wordnet, offsets: offsets, offsetsPath: path)
    }

    /// Keeps captions naming an ImageNet-21k synset, with the list as `resolver` finds it
    /// (DataComp's `imagenet21k_wordnet_ids`, from the `timm` wheel), checking its SHA-256.
    ///
    /// - Throws: `DataCompError` if the list cannot be resolved or read.
    public init(wordnet: WordNet, resolver: AssetResolver) throws {
        try self.init(wordnet: wordnet, synsetListAt: try resolver.path(for: .imageNet21kWordNetIDs))
    }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [.text] }

    /// How reports name it.
    public var description: String { "caption names one of \(offsets.count) WordNet synsets" }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] { [("synsets", .int(offsets.count))] }

    /// The id list, fingerprinted in the report.
    public var assetPaths: [String] { offsetsPath.map { [$0] } ?? [] }

    /// Whether one of `words` has a first synset whose offset is in ``offsets``.
    public func matches(words: [String]) -> Bool { words.contains(where: names) }

    /// Whether the first synset of `word` is one of ``offsets``.
    private func names(_ word: String) -> Bool {
        wordnet.firstSynsetOffset(of: word).map(offsets.contains) ?? false
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        let texts = batch.texts
        var known: [String: Bool] = [:]
        var mask = candidates
        for row in candidates.selectedIndices {
            let found = texts.words(at: row).contains { word in
                if let hit = known[word] { return hit }
                let hit = names(word)
                known[word] = hit
                return hit
            }
            if !found { mask[row] = false }
        }
        return mask
    }
}
