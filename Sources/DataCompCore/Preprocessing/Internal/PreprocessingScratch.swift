/// The buffers one thread reuses while it decodes and preprocesses image after image: decoded
/// pixels, the resampler's intermediate pass and the resized window — so that the steady state
/// allocates nothing but coefficients and a JPEG decompressor.
///
/// The decompressor is deliberately not reused: libjpeg keeps the quantization and Huffman
/// tables of one image for the next (for abbreviated streams), so a damaged JPEG that defines
/// fewer tables would decode with the previous image's tables — differently from Pillow, which
/// starts every image from a fresh decompressor (fuzz-image found such a file).
///
/// Not `Sendable`: one scratch belongs to one worker.
final class PreprocessingScratch {
    let decoded = ReusableBuffer()
    let intermediate = ReusableBuffer()
    let window = ReusableBuffer()
}

/// Scratches for the workers of one fan-out; item `i` uses scratch `i % count` (the worker that
/// runs it, in ``BoundedFanOut/mapBlocking(_:width:makeState:_:)``).
final class PreprocessingScratchPool: @unchecked Sendable {
    // Scratch `w` is only touched by worker `w`, and workers never share an index modulo count.
    private let scratches: [PreprocessingScratch]

    init(count: Int) { scratches = (0..<max(1, count)).map { _ in PreprocessingScratch() } }

    func scratch(forItem index: Int) -> PreprocessingScratch { scratches[index % scratches.count] }
}
