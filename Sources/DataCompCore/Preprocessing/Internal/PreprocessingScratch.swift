/// The buffers one thread reuses while it decodes and preprocesses image after image: decoded
/// pixels, the resampler's intermediate pass, the resized window and a JPEG decompressor — so
/// that the steady state allocates nothing but coefficients.
///
/// Not `Sendable`: one scratch belongs to one worker.
final class PreprocessingScratch {
    let decoded = ReusableBuffer()
    let intermediate = ReusableBuffer()
    let window = ReusableBuffer()
    private var decoder: TurboJPEGHandle?

    /// The worker's JPEG decompressor, created on first use.
    func jpegDecoder() throws -> TurboJPEGHandle {
        if let decoder { return decoder }
        let created = try TurboJPEGHandle(compressing: false)
        decoder = created
        return created
    }
}

/// Scratches for the workers of one fan-out; item `i` uses scratch `i % count` (the worker that
/// runs it, in ``BoundedFanOut/mapBlocking(_:width:makeState:_:)``).
final class PreprocessingScratchPool: @unchecked Sendable {
    // Scratch `w` is only touched by worker `w`, and workers never share an index modulo count.
    private let scratches: [PreprocessingScratch]

    init(count: Int) { scratches = (0..<max(1, count)).map { _ in PreprocessingScratch() } }

    func scratch(forItem index: Int) -> PreprocessingScratch { scratches[index % scratches.count] }
}
