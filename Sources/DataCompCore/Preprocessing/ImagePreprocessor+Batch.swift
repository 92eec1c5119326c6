import Foundation

/// Wraps the output pointer so that disjoint images can be written from several tasks.
private struct PixelSink: @unchecked Sendable {
    // Each task writes only its own image's `3 · size · size` values, and the buffer outlives
    // the fan-out.
    let values: UnsafeMutableBufferPointer<Float>
}

extension ImagePreprocessor {
    /// Applies ``evaluationTensor(for:)`` to many images in parallel.
    ///
    /// - Parameters:
    ///   - images: The decoded images.
    ///   - concurrency: How many images are processed at once.
    /// - Returns: One `[3, size, size]` tensor per image, in input order.
    /// - Throws: The first ``DataCompError`` (by index) of ``evaluationTensor(for:)``, with the
    ///   image's index as ``DataCompError/Position/row(_:)``.
    public func evaluationTensors(for images: [Image], concurrency: ConcurrencyBudget = .machine) async throws
        -> [Tensor]
    {
        try await BoundedFanOut.map(images.count, width: concurrency.width) { index in
            try Self.locating(index) { try evaluationTensor(for: images[index]) }
        }
    }

    /// Decodes encoded JPEG/PNG/WebP files and applies ``evaluationTensor(for:)``, in parallel.
    ///
    /// The files are read in place: pass webdataset members (``MemberBytes``), `[UInt8]` or
    /// `Data` without copying them.
    ///
    /// - Parameters:
    ///   - encoded: The encoded files' bytes.
    ///   - concurrency: How many images are decoded and processed at once.
    /// - Returns: One `[3, size, size]` tensor per file, in input order.
    /// - Throws: The first ``DataCompError`` (by index) a file's decoding or preprocessing
    ///   throws, with its index as ``DataCompError/Position/row(_:)``.
    public func evaluationTensors<Bytes: ContiguousBytes & Sendable>(
        decoding encoded: [Bytes], concurrency: ConcurrencyBudget = .machine
    ) async throws -> [Tensor] {
        try await BoundedFanOut.map(encoded.count, width: concurrency.width) { index in
            try Self.locating(index) { try evaluationTensor(for: try Image(decoding: encoded[index])) }
        }
    }

    /// Decodes encoded files and writes their evaluation transforms into one `[N, 3, size, size]`
    /// tensor — the batch a model consumes — without a tensor per image.
    ///
    /// - Parameters:
    ///   - encoded: The encoded files' bytes.
    ///   - concurrency: How many images are decoded and processed at once.
    /// - Returns: The `[encoded.count, 3, size, size]` batch, image `i` at index `i`.
    /// - Throws: The first ``DataCompError`` (by index), with its index as
    ///   ``DataCompError/Position/row(_:)``.
    public func evaluationBatch<Bytes: ContiguousBytes & Sendable>(
        decoding encoded: [Bytes], concurrency: ConcurrencyBudget = .machine
    ) async throws -> Tensor {
        try await batch(count: encoded.count, concurrency: concurrency) { index, out in
            try writeEvaluationTensor(for: try Image(decoding: encoded[index]), into: out)
        }
    }

    /// Writes the evaluation transforms of decoded images into one `[N, 3, size, size]` tensor.
    ///
    /// - Parameters:
    ///   - images: The decoded images.
    ///   - concurrency: How many images are processed at once.
    /// - Returns: The `[images.count, 3, size, size]` batch.
    /// - Throws: The first ``DataCompError`` (by index), with its index as a row position.
    public func evaluationBatch(for images: [Image], concurrency: ConcurrencyBudget = .machine) async throws -> Tensor {
        try await batch(count: images.count, concurrency: concurrency) { index, out in
            try writeEvaluationTensor(for: images[index], into: out)
        }
    }

    private func batch(
        count: Int, concurrency: ConcurrencyBudget,
        _ write: @escaping @Sendable (Int, UnsafeMutableBufferPointer<Float>) throws -> Void
    ) async throws -> Tensor {
        let stride = 3 * size * size
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count * stride, 1))
        defer { buffer.deallocate() }
        let sink = PixelSink(values: buffer)
        _ = try await BoundedFanOut.map(count, width: concurrency.width) { index in
            try Self.locating(index) {
                try write(
                    index, UnsafeMutableBufferPointer(rebasing: sink.values[(index * stride)..<((index + 1) * stride)]))
            }
        }
        return Tensor(shape: [count, 3, size, size]) { target in
            _ = target.update(fromContentsOf: UnsafeBufferPointer(rebasing: buffer[0..<(count * stride)]))
        }
    }

    /// Runs `body`, giving its errors the position of image `index` when they have none.
    private static func locating<T>(_ index: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as DataCompError {
            if error.position == nil { error.position = .row(index) }
            throw error
        } catch {
            throw DataCompError(.imageDecodingFailed, "\(error)", position: .row(index))
        }
    }
}
