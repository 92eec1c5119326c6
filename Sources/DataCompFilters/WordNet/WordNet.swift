import DataCompCore
import Foundation

/// The WordNet 3.0 database, looked up as NLTK 3.8.1's `wordnet.synsets(word)` looks it up, for
/// DataComp's `text_based` baseline.
///
/// Reads the index and exception files of a WordNet `dict` folder (Debian's `wordnet-base`
/// installs them in `/usr/share/wordnet`). ``synsetOffsets(of:)`` lower-cases the word, finds
/// its base forms with NLTK's `morphy` (exception lists first, then the suffix rules, applied
/// repeatedly until a form is in the index) and lists the synset offsets part of speech by part
/// of speech in NLTK's order: noun, verb, adjective, adverb.
///
/// ```swift
/// import DataCompFilters
///
/// let wordnet = try WordNet()
/// print(wordnet.firstSynsetOffset(of: "Dogs") ?? -1)  // 2084071, dog.n.01
/// ```
public struct WordNet: Sendable {
    /// A part of speech of WordNet's files.
    public enum PartOfSpeech: String, Sendable, Hashable, CaseIterable {
        /// Nouns (`index.noun`), NLTK's `n`.
        case noun = "n"
        /// Verbs (`index.verb`), NLTK's `v`.
        case verb = "v"
        /// Adjectives, satellites included (`index.adj`), NLTK's `a`.
        case adjective = "a"
        /// Adverbs (`index.adv`), NLTK's `r`.
        case adverb = "r"

        var fileSuffix: String {
            switch self {
            case .noun: "noun"
            case .verb: "verb"
            case .adjective: "adj"
            case .adverb: "adv"
            }
        }

        /// NLTK's `MORPHOLOGICAL_SUBSTITUTIONS`, in order.
        var substitutions: [(suffix: String, replacement: String)] {
            switch self {
            case .noun:
                [
                    ("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
                    ("shes", "sh"), ("men", "man"), ("ies", "y"),
                ]
            case .verb:
                [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")]
            case .adjective: [("er", ""), ("est", ""), ("er", "e"), ("est", "e")]
            case .adverb: []
            }
        }
    }

    /// Where Debian's `wordnet-base` puts the database; `DATACOMP_WORDNET_DIR` overrides it.
    public static var defaultDirectory: String {
        ProcessInfo.processInfo.environment["DATACOMP_WORDNET_DIR"] ?? "/usr/share/wordnet"
    }

    /// The folder read.
    public let directory: String
    private let index: [PartOfSpeech: [String: [Int]]]
    private let exceptions: [PartOfSpeech: [String: [String]]]

    /// Reads the database in `directory` (`index.{noun,verb,adj,adv}` and `{noun,verb,adj,adv}.exc`).
    ///
    /// - Throws: `DataCompError` with code `fileNotFound` (install `wordnet-base`) or
    ///   `invalidFormat` naming the file and line.
    public init(directory: String = WordNet.defaultDirectory) throws {
        self.directory = directory
        var index: [PartOfSpeech: [String: [Int]]] = [:]
        var exceptions: [PartOfSpeech: [String: [String]]] = [:]
        for pos in PartOfSpeech.allCases {
            index[pos] = try Self.readIndex(directory + "/index." + pos.fileSuffix)
            exceptions[pos] = try Self.readExceptions(directory + "/" + pos.fileSuffix + ".exc")
        }
        self.index = index
        self.exceptions = exceptions
    }

    /// The synset offsets of `word`, in the order of NLTK's `wordnet.synsets(word)`.
    public func synsetOffsets(of word: String) -> [(partOfSpeech: PartOfSpeech, offset: Int)] {
        let lemma = word.lowercased()
        var result: [(PartOfSpeech, Int)] = []
        for pos in PartOfSpeech.allCases {
            for form in morphy(lemma, pos) {
                for offset in index[pos]?[form] ?? [] { result.append((pos, offset)) }
            }
        }
        return result
    }

    /// The offset of NLTK's `wordnet.synsets(word)[0]`, or `nil` when the word has no synset.
    public func firstSynsetOffset(of word: String) -> Int? {
        let lemma = word.lowercased()
        for pos in PartOfSpeech.allCases {
            if let form = morphy(lemma, pos).first, let offset = index[pos]?[form]?.first { return offset }
        }
        return nil
    }

    /// The base forms of `form` that WordNet lists as `pos`, as NLTK's `_morphy` finds them.
    public func morphy(_ form: String, _ pos: PartOfSpeech) -> [String] {
        let lemmas = index[pos] ?? [:]
        func filtered(_ forms: [String]) -> [String] {
            var seen = Set<String>()
            return forms.filter { lemmas[$0] != nil && seen.insert($0).inserted }
        }
        func applyRules(_ forms: [String]) -> [String] {
            forms.flatMap { form in
                pos.substitutions.compactMap { rule in
                    form.hasSuffix(rule.suffix) ? String(form.dropLast(rule.suffix.count)) + rule.replacement : nil
                }
            }
        }
        if let listed = exceptions[pos]?[form] { return filtered([form] + listed) }
        var forms = applyRules([form])
        let results = filtered([form] + forms)
        if !results.isEmpty { return results }
        while !forms.isEmpty {
            forms = applyRules(forms)
            let results = filtered(forms)
            if !results.isEmpty { return results }
        }
        return []
    }

    /// What separates the fields of a line of WordNet's files (Python's `split()` on ASCII).
    private static func isFieldSeparator(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\r"
    }

    private static func lines(of path: String) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataCompError(
                .fileNotFound,
                "the WordNet 3.0 database is missing; install Debian's wordnet-base or set DATACOMP_WORDNET_DIR to a WordNet dict folder",
                path: path)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// NLTK's `_load_lemma_pos_offset_map` for one file: lemma → synset offsets.
    private static func readIndex(_ path: String) throws -> [String: [Int]] {
        var map: [String: [Int]] = [:]
        for (number, line) in try lines(of: path).enumerated() where !line.isEmpty && !line.hasPrefix(" ") {
            let fields = line.split(whereSeparator: isFieldSeparator)
            func bad(_ what: String) -> DataCompError {
                DataCompError(
                    .invalidFormat, "a WordNet index line is malformed (\(what)); reinstall wordnet-base", path: path,
                    position: .line(number + 1))
            }
            guard fields.count >= 4, let synsets = Int(fields[2]), synsets > 0, let pointers = Int(fields[3]) else {
                throw bad("no lemma, part of speech and counts")
            }
            let first = 4 + pointers + 2
            guard pointers >= 0, fields.count >= first + synsets, Int(fields[4 + pointers]) == synsets else {
                throw bad("the counts do not match the fields")
            }
            var offsets: [Int] = []
            offsets.reserveCapacity(synsets)
            for field in fields[first..<(first + synsets)] {
                guard let offset = Int(field) else { throw bad("a synset offset is not a number") }
                offsets.append(offset)
            }
            map[String(fields[0])] = offsets
        }
        return map
    }

    /// NLTK's `_load_exception_map` for one file: inflected form → base forms.
    private static func readExceptions(_ path: String) throws -> [String: [String]] {
        var map: [String: [String]] = [:]
        for line in try lines(of: path) {
            let terms = line.split(whereSeparator: isFieldSeparator).map(String.init)
            guard let form = terms.first else { continue }
            map[form] = Array(terms.dropFirst())
        }
        return map
    }
}
