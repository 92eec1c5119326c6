extension ImagePreprocessor {
    /// Applies ``evaluationTensor(for:)`` to many images in parallel, at most `maxConcurrency`
    /// at a time.
    ///
    /// - Parameters:
    ///   - images: The decoded images.
    ///   - maxConcurrency: The largest number of images processed at once (at least 1).
    /// - Returns: One `[3, size, size]` tensor per image, in input order.
    public func evaluationTensors(for images: [Image], maxConcurrency: Int) async -> [Tensor] {
        await Self.boundedMap(images.count, maxConcurrency: maxConcurrency) { evaluationTensor(for: images[$0]) }
    }

    /// Decodes encoded JPEG/PNG/WebP files and applies ``evaluationTensor(for:)``, in parallel,
    /// at most `maxConcurrency` at a time.
    ///
    /// - Parameters:
    ///   - encoded: The encoded files' bytes.
    ///   - maxConcurrency: The largest number of images processed at once (at least 1).
    /// - Returns: One `[3, size, size]` tensor per file, in input order.
    /// - Throws: The first ``DataCompError`` a file's decoding throws, with its index as
    ///   ``DataCompError/Position/row(_:)``.
    public func evaluationTensors(decoding encoded: [[UInt8]], maxConcurrency: Int) async throws -> [Tensor] {
        let results: [Result<Tensor, DataCompError>] = await Self.boundedMap(encoded.count, maxConcurrency: maxConcurrency) { index in
            do {
                return .success(evaluationTensor(for: try Image(decoding: encoded[index])))
            } catch let error as DataCompError {
                var located = error
                if located.position == nil { located.position = .row(index) }
                return .failure(located)
            } catch {
                return .failure(DataCompError(.imageDecodingFailed, "\(error)", position: .row(index)))
            }
        }
        return try results.map { try $0.get() }
    }

    /// Runs `body` for `0 ..< count` with a bounded task group and returns results in order.
    static func boundedMap<T: Sendable>(
        _ count: Int, maxConcurrency: Int, _ body: @escaping @Sendable (Int) -> T
    ) async -> [T] {
        precondition(maxConcurrency >= 1, "maxConcurrency must be at least 1")
        var results = [T?](repeating: nil, count: count)
        await withTaskGroup(of: (Int, T).self) { group in
            var next = 0
            while next < min(count, maxConcurrency) {
                let index = next
                group.addTask { (index, body(index)) }
                next += 1
            }
            while let (index, value) = await group.next() {
                results[index] = value
                if next < count {
                    let index = next
                    group.addTask { (index, body(index)) }
                    next += 1
                }
            }
        }
        return results.compactMap { $0 }
    }
}
