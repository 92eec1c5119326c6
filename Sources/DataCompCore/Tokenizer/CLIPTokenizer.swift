/// OpenCLIP's CLIP tokenizer (`open_clip.tokenizer.SimpleTokenizer`), producing identical ids.
///
/// The tokenizer cleans each caption as OpenCLIP's default `clean='lower'` does (NFC, HTML
/// unescaping twice, whitespace collapse, Python lower-casing), splits it with OpenCLIP's
/// pre-tokenisation pattern, maps UTF-8 bytes to symbols and applies the byte-level BPE merges of
/// `bpe_simple_vocab_16e6.txt.gz`. See the Tokenizer article for the `ftfy` repairs that are not
/// reproduced.
///
/// ```swift
/// let tokenizer = try CLIPTokenizer(resolver: AssetResolver())
/// let row = tokenizer.tokenize("a photo of a cat.")   // 77 ids: 49406, 320, 1125, ..., 49407, 0, ...
/// ```
public struct CLIPTokenizer: Sendable {
    /// OpenCLIP's `DEFAULT_CONTEXT_LENGTH`: 77 tokens per caption.
    public static let defaultContextLength = 77

    let vocabulary: BytePairVocabulary

    /// Creates a tokenizer from a gzipped BPE vocabulary file (`bpe_simple_vocab_16e6.txt.gz`).
    ///
    /// The file's checksum is not checked here; ``init(resolver:)`` resolves and verifies the
    /// standard file.
    ///
    /// - Parameter path: The `.txt.gz` vocabulary.
    /// - Throws: ``DataCompError`` naming `path` when the file is missing, not gzip, or not a BPE
    ///   merge list.
    public init(vocabularyAt path: String) throws {
        vocabulary = try MappedFile.parsing(path) { try Self.parseVocabulary($0.bytes) }
    }

    /// Creates a tokenizer from the standard vocabulary, found (and fetched if needed) by `resolver`.
    ///
    /// - Parameter resolver: Where to look for `bpe_simple_vocab_16e6.txt.gz`.
    /// - Throws: ``DataCompError`` `missingAsset` or `checksumMismatch` from the resolver.
    public init(resolver: AssetResolver) throws {
        try self.init(vocabularyAt: try resolver.path(for: .clipVocabulary))
    }

    /// Creates a tokenizer from the bytes of a gzipped vocabulary (for tests with small vocabularies).
    package init(gzippedVocabulary bytes: [UInt8]) throws {
        vocabulary = try bytes.withUnsafeBytes { try Self.parseVocabulary($0) }
    }

    private static func parseVocabulary(_ bytes: UnsafeRawBufferPointer) throws -> BytePairVocabulary {
        try BytePairVocabulary(text: try Gzip.zlib_gunzip(bytes, maximumSize: 1 << 28))
    }

    /// The number of ids (49,408 for the standard vocabulary).
    public var vocabularySize: Int { Int(vocabulary.endOfTextID) + 1 }

    /// The id of `<start_of_text>` (49,406 for the standard vocabulary).
    public var startOfTextID: Int { Int(vocabulary.startOfTextID) }

    /// The id of `<end_of_text>` (49,407 for the standard vocabulary).
    public var endOfTextID: Int { Int(vocabulary.endOfTextID) }

    /// Returns the token ids of `text` without start and end of text, as `SimpleTokenizer.encode`.
    ///
    /// - Parameter text: A caption.
    /// - Returns: The ids; as many as the caption needs (no truncation).
    public func encode(_ text: String) -> [Int] {
        var workspace = CLIPEncodingWorkspace()
        workspace.encode(text, vocabulary: vocabulary)
        return workspace.ids.map { Int($0) }
    }

    /// Returns one row of token ids as OpenCLIP's `tokenizer(text)` does.
    ///
    /// The row is `<start_of_text>`, the caption's ids and `<end_of_text>`, padded with zeros. When
    /// that is longer than `contextLength` it is cut to `contextLength` and its last id is
    /// replaced by `<end_of_text>`.
    ///
    /// - Parameters:
    ///   - text: A caption.
    ///   - contextLength: The row length.
    /// - Returns: `contextLength` ids.
    /// - Precondition: `contextLength >= 1`.
    public func tokenize(_ text: String, contextLength: Int = defaultContextLength) -> [Int64] {
        tokenize([text], contextLength: contextLength).ids
    }

    /// Tokenizes captions on the calling thread into a `[texts.count, contextLength]` batch;
    /// each row is what the single-caption ``tokenize(_:contextLength:)-(String,_)`` returns.
    ///
    /// - Parameters:
    ///   - texts: The captions.
    ///   - contextLength: The row length.
    /// - Returns: One row per caption.
    /// - Precondition: `contextLength >= 1`.
    public func tokenize(_ texts: [String], contextLength: Int = defaultContextLength) -> TokenBatch {
        tokenizeRows(texts.count, contextLength: contextLength) { row, body in
            var text = texts[row]
            text.withUTF8 { body($0) }
        }
    }

    /// Tokenizes a pool's string column (for example ``PoolBatch/texts``) on the calling thread,
    /// reading each caption's UTF-8 bytes in place (no `String` per caption).
    ///
    /// Invalid UTF-8 is
    /// replaced as `String(decoding:as:)` replaces it.
    ///
    /// - Parameters:
    ///   - texts: The captions.
    ///   - contextLength: The row length.
    /// - Returns: One row per caption.
    /// - Precondition: `contextLength >= 1`.
    public func tokenize(_ texts: StringColumn, contextLength: Int = defaultContextLength) -> TokenBatch {
        tokenizeRows(texts.count, contextLength: contextLength) { row, body in
            texts.withUTF8(at: row) { body($0) }
        }
    }

    /// Fills a `[count, contextLength]` matrix on the calling thread; `caption(row, body)` calls
    /// `body` with row's UTF-8.
    func tokenizeRows(
        _ count: Int, contextLength: Int, caption: (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> TokenBatch {
        precondition(contextLength >= 1, "contextLength must be at least 1, got \(contextLength)")
        let ids = [Int64](unsafeUninitializedCapacity: count * contextLength) { buffer, initialized in
            buffer.initialize(repeating: 0)
            var workspace = CLIPEncodingWorkspace()
            for row in 0..<count {
                caption(row) {
                    fillRow(utf8: $0, into: buffer, row: row, contextLength: contextLength, workspace: &workspace)
                }
            }
            initialized = count * contextLength
        }
        return TokenBatch(ids: ids, contextLength: contextLength)
    }

    /// Writes one caption's row into `rows` (already zeroed).
    func fillRow(
        utf8: UnsafeBufferPointer<UInt8>, into rows: UnsafeMutableBufferPointer<Int64>, row: Int, contextLength: Int,
        workspace: inout CLIPEncodingWorkspace
    ) {
        // More than contextLength - 2 text ids means truncation; one extra id is enough to know.
        workspace.encode(utf8: utf8, vocabulary: vocabulary, limit: contextLength - 1)
        let base = row * contextLength
        let ids = workspace.ids
        let total = ids.count + 2
        rows[base] = Int64(vocabulary.startOfTextID)
        let kept = min(total, contextLength)
        for index in 1..<max(kept - 1, 1) { rows[base + index] = Int64(ids[index - 1]) }
        rows[base + kept - 1] = Int64(vocabulary.endOfTextID)
    }

    /// The symbol string of an id (`SimpleTokenizer.decoder`), for inspection and tests.
    ///
    /// - Parameter id: A token id.
    /// - Returns: The symbol (for example `cat</w>`), or nil for an id outside the vocabulary.
    public func symbol(for id: Int) -> String? {
        if id == startOfTextID { return "<start_of_text>" }
        if id == endOfTextID { return "<end_of_text>" }
        guard id >= 0 && id < vocabulary.symbols.count else { return nil }
        return vocabulary.symbols[id]
    }

    /// Returns `text` after OpenCLIP's default cleaning (`_clean_lower`), for inspection.
    ///
    /// - Parameter text: A caption.
    /// - Returns: The cleaned text that the pre-tokenizer sees.
    public static func cleaned(_ text: String) -> String {
        var output: [UInt32] = []
        var scratch: [UInt32] = []
        CLIPTextCleaner.clean(text[...], into: &output, scratch: &scratch)
        var result = String.UnicodeScalarView()
        for value in output { if let scalar = Unicode.Scalar(value) { result.append(scalar) } }
        return String(result)
    }
}
