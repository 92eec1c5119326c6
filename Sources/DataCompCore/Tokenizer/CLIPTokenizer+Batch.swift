internal import DataCompKernels

extension CLIPTokenizer {
    /// Fills a `[count, contextLength]` matrix in contiguous chunks, up to `concurrency.width`
    /// at a time, each chunk with its own workspace; `caption(row, body)` calls `body` with
    /// row's UTF-8.
    func tokenizeRows(
        _ count: Int, contextLength: Int, concurrency: ConcurrencyBudget,
        caption: @escaping @Sendable (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) async -> TokenBatch {
        precondition(contextLength >= 1, "contextLength must be at least 1, got \(contextLength)")
        // Below about a thousand captions per worker, starting workers costs more than it saves.
        let workers = min(concurrency.width, count / 1024)
        if workers <= 1 { return tokenizeRows(count, contextLength: contextLength, caption: caption) }
        let buffer = UnsafeMutableBufferPointer<Int64>.allocate(capacity: count * contextLength)
        buffer.initialize(repeating: 0)
        defer { buffer.deallocate() }
        // Each worker writes only the rows of its own chunks.
        let sink = SharedBuffer(buffer)
        let chunk = (count + workers - 1) / workers
        _ = await BoundedFanOut.map((count + chunk - 1) / chunk, width: workers) { part in
            var workspace = CLIPEncodingWorkspace()
            for row in (part * chunk)..<min(count, (part + 1) * chunk) {
                caption(row) {
                    fillRow(utf8: $0, into: sink.buffer, row: row, contextLength: contextLength, workspace: &workspace)
                }
            }
        }
        return TokenBatch(ids: Array(buffer), contextLength: contextLength)
    }

    /// Tokenizes captions in parallel into a `[texts.count, contextLength]` batch.
    ///
    /// The captions are split into contiguous chunks, tokenized by up to `concurrency.width`
    /// workers, each with its own word cache. The result equals the sequential
    /// ``tokenize(_:contextLength:)-([String],_)`` of the same captions.
    ///
    /// - Parameters:
    ///   - texts: The captions.
    ///   - contextLength: The row length.
    ///   - concurrency: How many captions are tokenized at once.
    /// - Returns: One row per caption.
    /// - Precondition: `contextLength >= 1`.
    public func tokenize(
        _ texts: [String], contextLength: Int = defaultContextLength, concurrency: ConcurrencyBudget
    ) async -> TokenBatch {
        await tokenizeRows(texts.count, contextLength: contextLength, concurrency: concurrency) { row, body in
            var text = texts[row]
            text.withUTF8 { body($0) }
        }
    }

    /// Tokenizes a pool's string column in parallel, reading each caption's UTF-8 in place.
    ///
    /// - Parameters:
    ///   - texts: The captions (for example ``PoolBatch/texts``).
    ///   - contextLength: The row length.
    ///   - concurrency: How many captions are tokenized at once.
    /// - Returns: One row per caption, equal to the sequential
    ///   ``tokenize(_:contextLength:)-(StringColumn,_)``.
    /// - Precondition: `contextLength >= 1`.
    public func tokenize(
        _ texts: StringColumn, contextLength: Int = defaultContextLength, concurrency: ConcurrencyBudget
    ) async -> TokenBatch {
        await tokenizeRows(texts.count, contextLength: contextLength, concurrency: concurrency) { row, body in
            texts.withUTF8(at: row) { body($0) }
        }
    }
}
