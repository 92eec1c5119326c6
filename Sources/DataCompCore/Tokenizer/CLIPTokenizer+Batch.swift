/// Wraps the output pointer so that disjoint rows can be filled from several tasks.
private struct RowSink: @unchecked Sendable {
    // Each task writes only its own rows, and the buffer outlives the task group.
    let rows: UnsafeMutableBufferPointer<Int64>
}

extension CLIPTokenizer {
    /// Tokenizes captions in parallel into a row-major `[texts.count, contextLength]` matrix.
    ///
    /// The captions are split into `maxConcurrency` contiguous chunks, tokenized by child tasks of
    /// one task group, each with its own word cache. The result equals
    /// the sequential `tokenize(_:contextLength:)` of the same captions.
    ///
    /// - Parameters:
    ///   - texts: The captions.
    ///   - contextLength: The row length (at least 1).
    ///   - maxConcurrency: The largest number of captions tokenized at once (at least 1).
    /// - Returns: `texts.count * contextLength` ids, row after row.
    /// - Precondition: `contextLength >= 1` and `maxConcurrency >= 1`.
    public func tokenize(
        _ texts: [String], contextLength: Int = defaultContextLength, maxConcurrency: Int
    ) async -> [Int64] {
        precondition(contextLength >= 1, "contextLength must be at least 1, got \(contextLength)")
        precondition(maxConcurrency >= 1, "maxConcurrency must be at least 1, got \(maxConcurrency)")
        let workers = min(maxConcurrency, texts.count / 1024)
        if workers <= 1 { return tokenize(texts, contextLength: contextLength) }
        let buffer = UnsafeMutableBufferPointer<Int64>.allocate(capacity: texts.count * contextLength)
        buffer.initialize(repeating: 0)
        defer { buffer.deallocate() }
        let sink = RowSink(rows: buffer)
        let chunkSize = (texts.count + workers - 1) / workers
        await withTaskGroup(of: Void.self) { group in
            for start in stride(from: 0, to: texts.count, by: chunkSize) {
                let range = start..<min(start + chunkSize, texts.count)
                group.addTask {
                    var workspace = CLIPEncodingWorkspace()
                    for row in range {
                        fillRow(texts[row], into: sink.rows, row: row, contextLength: contextLength, workspace: &workspace)
                    }
                }
            }
        }
        return Array(buffer)
    }
}
