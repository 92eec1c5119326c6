/// The token ids of a batch of captions: a row-major `[count, contextLength]` matrix of `Int64`,
/// as `open_clip.tokenize(texts)` returns it.
///
/// As a collection it holds one row (``contextLength`` ids) per caption.
///
/// ```swift
/// let tokens = tokenizer.tokenize(["a photo of a cat", "a dog"])
/// tokens.shape          // [2, 77]
/// tokens[1].first       // 49406, <start_of_text>
/// ```
public struct TokenBatch: Sendable, Hashable, RandomAccessCollection {
    /// The ids per row.
    public let contextLength: Int
    /// All ids, row after row (`count · contextLength` values).
    public let ids: [Int64]

    /// Creates a batch from row-major ids.
    ///
    /// - Parameters:
    ///   - ids: `rows · contextLength` ids, row after row.
    ///   - contextLength: The ids per row.
    /// - Precondition: `contextLength >= 1` and `ids.count` is a multiple of it.
    public init(ids: [Int64], contextLength: Int) {
        precondition(contextLength >= 1, "contextLength must be at least 1, got \(contextLength)")
        precondition(ids.count % contextLength == 0, "\(ids.count) ids are not rows of \(contextLength)")
        self.ids = ids
        self.contextLength = contextLength
    }

    /// The index of the first row (always 0).
    public var startIndex: Int { 0 }
    /// The number of rows (captions).
    public var endIndex: Int { ids.count / contextLength }

    /// The shape, `[count, contextLength]`.
    public var shape: [Int] { [count, contextLength] }

    /// The ids of row `index`.
    ///
    /// - Parameter index: A row in `0..<count`.
    public subscript(index: Int) -> ArraySlice<Int64> {
        ids[(index * contextLength)..<((index + 1) * contextLength)]
    }
}

extension NPYArray {
    /// The token ids as an `int64` array of shape `[count, contextLength]`, exactly as
    /// `np.save` writes `open_clip.tokenize(texts).numpy()`.
    ///
    /// - Parameter tokens: The token ids.
    public init(_ tokens: TokenBatch) {
        self.init(shape: tokens.shape, scalars: tokens.ids)
    }
}
