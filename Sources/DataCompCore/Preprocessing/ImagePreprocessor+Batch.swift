internal import DataCompKernels
import Foundation

extension ImagePreprocessor {
    /// Applies ``evaluationTensor(for:)`` to many images in parallel.
    ///
    /// - Parameters:
    ///   - images: The decoded images.
    ///   - concurrency: How many images are processed at once.
    /// - Returns: One `[3, size, size]` tensor per image, in input order.
    /// - Throws: The first ``DataCompError`` (by index) of ``evaluationTensor(for:)``, with the
    ///   image's index as ``DataCompError/Position/row(_:)``.
    public func evaluationTensors(for images: [Image], concurrency: ConcurrencyBudget = .machine) throws -> [Tensor] {
        try BoundedFanOut.mapBlocking(images.count, width: concurrency.width, makeState: {}) { index, _ in
            try Self.locating(index) { try evaluationTensor(for: images[index]) }
        }
    }

    /// Decodes encoded JPEG/PNG/WebP files and applies ``evaluationTensor(for:)``, in parallel.
    ///
    /// The files are read in place: pass webdataset members (``MemberBytes``), `[UInt8]` or
    /// `Data` (memory-mapped with `Data(contentsOf:options: .alwaysMapped)`) without copying
    /// them. Each worker reuses its decoding and resampling buffers from image to image.
    ///
    /// - Parameters:
    ///   - encoded: The encoded files' bytes.
    ///   - concurrency: How many images are decoded and processed at once.
    /// - Returns: One `[3, size, size]` tensor per file, in input order.
    /// - Throws: The first ``DataCompError`` (by index) a file's decoding or preprocessing
    ///   throws, with its index as ``DataCompError/Position/row(_:)``.
    public func evaluationTensors<Bytes: ContiguousBytes & Sendable>(
        decoding encoded: [Bytes], concurrency: ConcurrencyBudget = .machine
    ) throws -> [Tensor] {
        let pool = PreprocessingScratchPool(count: concurrency.width)
        return try BoundedFanOut.mapBlocking(encoded.count, width: concurrency.width, makeState: {}) { index, _ in
            try Self.locating(index) {
                try Tensor(shape: [3, size, size]) { out in
                    try encoded[index].withUnsafeBytes { bytes in
                        try writeEvaluationTensor(decoding: bytes, into: out, scratch: pool.scratch(forItem: index))
                    }
                }
            }
        }
    }

    /// Decodes encoded files and writes their evaluation transforms into one `[N, 3, size, size]`
    /// tensor — the batch a model consumes — without a tensor per image.
    ///
    /// - Parameters:
    ///   - encoded: The encoded files' bytes, read in place.
    ///   - concurrency: How many images are decoded and processed at once.
    /// - Returns: The `[encoded.count, 3, size, size]` batch, image `i` at index `i`.
    /// - Throws: The first ``DataCompError`` (by index), with its index as
    ///   ``DataCompError/Position/row(_:)``.
    public func evaluationBatch<Bytes: ContiguousBytes & Sendable>(
        decoding encoded: [Bytes], concurrency: ConcurrencyBudget = .machine
    ) throws -> Tensor {
        let stride = 3 * size * size
        let pool = PreprocessingScratchPool(count: concurrency.width)
        return try Tensor(shape: [encoded.count, 3, size, size]) { buffer in
            let sink = SharedBuffer(buffer)
            _ = try BoundedFanOut.mapBlocking(encoded.count, width: concurrency.width, makeState: {}) { index, _ in
                try Self.locating(index) {
                    let out = UnsafeMutableBufferPointer(
                        rebasing: sink.buffer[(index * stride)..<((index + 1) * stride)])
                    try encoded[index].withUnsafeBytes { bytes in
                        try writeEvaluationTensor(decoding: bytes, into: out, scratch: pool.scratch(forItem: index))
                    }
                }
            }
        }
    }

    /// Writes the evaluation transforms of decoded images into one `[N, 3, size, size]` tensor.
    ///
    /// - Parameters:
    ///   - images: The decoded images.
    ///   - concurrency: How many images are processed at once.
    /// - Returns: The `[images.count, 3, size, size]` batch.
    /// - Throws: The first ``DataCompError`` (by index), with its index as a row position.
    public func evaluationBatch(for images: [Image], concurrency: ConcurrencyBudget = .machine) throws -> Tensor {
        let stride = 3 * size * size
        return try Tensor(shape: [images.count, 3, size, size]) { buffer in
            let sink = SharedBuffer(buffer)
            _ = try BoundedFanOut.mapBlocking(images.count, width: concurrency.width, makeState: {}) { index, _ in
                try Self.locating(index) {
                    try writeEvaluationTensor(
                        for: images[index],
                        into: UnsafeMutableBufferPointer(
                            rebasing: sink.buffer[(index * stride)..<((index + 1) * stride)]))
                }
            }
        }
    }

    /// Decodes encoded files and calls `body` with their evaluation transforms, `batchSize`
    /// images at a time, in order — a stream of `[n, 3, size, size]` batches through one reused
    /// buffer, for writing or consuming them without holding them all.
    ///
    /// ```swift
    /// try preprocessor.forEachEvaluationBatch(decoding: files, batchSize: 32) { rows, pixels in
    ///     try sink.write(UnsafeRawBufferPointer(pixels))     // e.g. an .npy being written
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - encoded: The encoded files' bytes, read in place.
    ///   - batchSize: The most images per call of `body`.
    ///   - concurrency: How many images are decoded and processed at once.
    ///   - body: Receives the indices of the batch's images and their `rows.count · 3 · size ·
    ///     size` values; the buffer is reused after `body` returns, so it must not escape.
    /// - Throws: The first ``DataCompError`` (by index), with its index as a row position, or
    ///   what `body` throws.
    /// - Precondition: `batchSize > 0`.
    public func forEachEvaluationBatch<Bytes: ContiguousBytes & Sendable>(
        decoding encoded: [Bytes], batchSize: Int = 32, concurrency: ConcurrencyBudget = .machine,
        _ body: (Range<Int>, UnsafeBufferPointer<Float>) throws -> Void
    ) throws {
        precondition(batchSize > 0, "batchSize must be positive, not \(batchSize)")
        let stride = 3 * size * size
        let pool = PreprocessingScratchPool(count: concurrency.width)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(
            capacity: max(1, min(batchSize, encoded.count) * stride))
        defer { buffer.deallocate() }
        let sink = SharedBuffer(buffer)
        var start = 0
        while start < encoded.count {
            let rows = start..<min(encoded.count, start + batchSize)
            _ = try BoundedFanOut.mapBlocking(rows.count, width: concurrency.width, makeState: {}) { offset, _ in
                let index = rows.lowerBound + offset
                try Self.locating(index) {
                    let out = UnsafeMutableBufferPointer(
                        rebasing: sink.buffer[(offset * stride)..<((offset + 1) * stride)])
                    try encoded[index].withUnsafeBytes { bytes in
                        try writeEvaluationTensor(decoding: bytes, into: out, scratch: pool.scratch(forItem: offset))
                    }
                }
            }
            try body(rows, UnsafeBufferPointer(rebasing: buffer[0..<(rows.count * stride)]))
            start = rows.upperBound
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
