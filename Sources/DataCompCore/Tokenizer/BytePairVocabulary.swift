/// The byte-level BPE tables of OpenCLIP's `SimpleTokenizer`, built from
/// `bpe_simple_vocab_16e6.txt.gz`: byte symbols, merge ranks keyed on pairs of ids, and the ids of
/// the special tokens.
///
/// Immutable after creation, so it is shared by every copy of a ``CLIPTokenizer`` and by every
/// worker of a batch.
final class BytePairVocabulary: Sendable {
    /// The number of merges OpenCLIP reads (`merges[1 : 49152 - 256 - 2 + 1]`).
    static let mergeLimit = 49152 - 256 - 2

    /// The id of each byte's symbol (the byte-to-unicode table's construction order).
    let byteIDs: [Int32]
    /// The symbol strings of all ids except the special tokens (for decoding and tests).
    let symbols: [String]
    /// The number of merges read from the file.
    let mergeCount: Int
    /// Open-addressing table from `(left << 32) | right` to the pair's rank and merged id.
    private let keys: [UInt64]
    private let ranks: [Int32]
    private let mergedIDs: [Int32]
    private let shift: UInt64

    /// The id of `<start_of_text>`.
    var startOfTextID: Int32 { Int32(512 + mergeCount) }
    /// The id of `<end_of_text>`.
    var endOfTextID: Int32 { Int32(512 + mergeCount + 1) }

    /// The symbols of bytes 0...255 (`bytes_to_unicode`): printable bytes map to themselves, the
    /// other 68 to U+0100 onwards in ascending byte order.
    static let byteSymbols: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    private static func isPrintable(_ byte: Int) -> Bool {
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    }

    /// Parses the decompressed vocabulary file.
    ///
    /// - Throws: ``DataCompError`` `invalidFormat` naming the line when a merge line is not two
    ///   symbols, or when the file has no merges.
    init(text: [UInt8]) throws {
        // Byte symbols in table order: printable bytes ascending, then the remapped ones.
        let order = (0..<256).filter { Self.isPrintable($0) } + (0..<256).filter { !Self.isPrintable($0) }
        var byteIDs = [Int32](repeating: 0, count: 256)
        var symbols: [String] = []
        symbols.reserveCapacity(512 + Self.mergeLimit)
        for (id, byte) in order.enumerated() {
            byteIDs[byte] = Int32(id)
            symbols.append(String(Character(Unicode.Scalar(Self.byteSymbols[byte]) ?? "?")))
        }
        for id in 0..<256 { symbols.append(symbols[id] + "</w>") }
        var idOfSymbol: [String: Int32] = [:]
        idOfSymbol.reserveCapacity(512 + Self.mergeLimit)
        for (id, symbol) in symbols.enumerated() { idOfSymbol[symbol] = Int32(id) }

        // Lines 1 ... mergeLimit of the file split on "\n" (the rest of the file is never read).
        var merges: [(String, String)] = []
        merges.reserveCapacity(Self.mergeLimit)
        var lineNumber = 0
        var lineStart = 0
        while lineStart <= text.count && lineNumber <= Self.mergeLimit {
            if lineStart == text.count && lineNumber > 0 { break }  // the empty piece after a final "\n"
            var lineEnd = lineStart
            while lineEnd < text.count && text[lineEnd] != 0x0A { lineEnd += 1 }
            defer {
                lineNumber += 1
                lineStart = lineEnd + 1
            }
            if lineNumber == 0 { continue }
            // Python's str.split(): runs of whitespace separate the symbols.
            var parts: [String] = []
            var partStart = lineStart
            for index in lineStart...lineEnd {
                let isSeparator = index == lineEnd || text[index] == 0x20 || text[index] == 0x09 || text[index] == 0x0D
                if isSeparator {
                    if index > partStart { parts.append(String(decoding: text[partStart..<index], as: UTF8.self)) }
                    partStart = index + 1
                }
            }
            guard parts.count == 2 else {
                throw DataCompError(
                    .invalidFormat,
                    "a BPE merge line must hold two symbols separated by a space, found \(parts.count); is this bpe_simple_vocab_16e6.txt.gz?",
                    position: .line(lineNumber + 1))
            }
            merges.append((parts[0], parts[1]))
        }
        guard !merges.isEmpty else {
            throw DataCompError(.invalidFormat, "the BPE vocabulary has no merge lines", position: .line(1))
        }
        var pairs: [(UInt64, Int32, Int32)] = []
        pairs.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            let merged = left + right
            symbols.append(merged)
            let mergedID = Int32(symbols.count - 1)
            // Python's dict keeps the last id of a repeated symbol.
            idOfSymbol[merged] = mergedID
            // A merge whose halves are not symbols can never apply.
            if let l = idOfSymbol[left], let r = idOfSymbol[right] {
                pairs.append((UInt64(UInt32(l)) << 32 | UInt64(UInt32(r)), Int32(rank), mergedID))
            }
        }
        // Resolve merged ids through the final symbol table (identical for the real file).
        for index in pairs.indices {
            let symbol = symbols[Int(pairs[index].2)]
            if let id = idOfSymbol[symbol] { pairs[index].2 = id }
        }
        var bits = 1
        while (1 << bits) < pairs.count * 2 { bits += 1 }
        let capacity = 1 << bits
        var keys = [UInt64](repeating: .max, count: capacity)
        var ranks = [Int32](repeating: 0, count: capacity)
        var mergedIDs = [Int32](repeating: 0, count: capacity)
        let shift = UInt64(64 - bits)
        for (key, rank, merged) in pairs {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != .max && keys[slot] != key { slot = (slot + 1) & (capacity - 1) }
            // Python's dict(zip(merges, ranks)) keeps the last rank; pairs are unique in practice.
            if keys[slot] == key { continue }
            keys[slot] = key
            ranks[slot] = rank
            mergedIDs[slot] = merged
        }
        self.byteIDs = byteIDs
        self.symbols = symbols
        self.mergeCount = merges.count
        self.keys = keys
        self.ranks = ranks
        self.mergedIDs = mergedIDs
        self.shift = shift
    }

    /// Applies the merges to `word` (symbol ids, the last one already carrying `</w>`) in place:
    /// repeatedly merges every non-overlapping occurrence, left to right, of the adjacent pair with
    /// the lowest rank, as `SimpleTokenizer.bpe` does.
    func merge(_ word: inout [Int32]) {
        keys.withUnsafeBufferPointer { keys in
            ranks.withUnsafeBufferPointer { ranks in
                mergedIDs.withUnsafeBufferPointer { mergedIDs in
                    let mask = keys.count - 1
                    while word.count > 1 {
                        var bestRank = Int32.max
                        var bestLeft: Int32 = 0
                        var bestRight: Int32 = 0
                        var bestMerged: Int32 = 0
                        for index in 0..<(word.count - 1) {
                            let key =
                                UInt64(UInt32(bitPattern: word[index])) << 32
                                | UInt64(UInt32(bitPattern: word[index + 1]))
                            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                            while true {
                                let found = keys[slot]
                                if found == key {
                                    if ranks[slot] < bestRank {
                                        bestRank = ranks[slot]
                                        bestLeft = word[index]
                                        bestRight = word[index + 1]
                                        bestMerged = mergedIDs[slot]
                                    }
                                    break
                                }
                                if found == .max { break }
                                slot = (slot + 1) & mask
                            }
                        }
                        if bestRank == .max { return }
                        var read = 0
                        var write = 0
                        let count = word.count
                        while read < count {
                            if read + 1 < count && word[read] == bestLeft && word[read + 1] == bestRight {
                                word[write] = bestMerged
                                read += 2
                            } else {
                                word[write] = word[read]
                                read += 1
                            }
                            write += 1
                        }
                        word.removeLast(count - write)
                    }
                }
            }
        }
    }
}
