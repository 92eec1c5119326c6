// libFuzzer target: JPEG, PNG and WebP decoding (header and pixels) and OpenCLIP's evaluation
// and training transforms on what decodes — through the Image path and through the decoding
// fast path with reused buffers, which must agree bit for bit.
import DataCompCore
import _FuzzSupport

let preprocessor = ImagePreprocessor(size: 32)
FuzzDriver.run { bytes in
    let data = Array(bytes)
    _ = try? ImageInfo(decodingHeaderOf: data)
    let viaDecoding = try? preprocessor.evaluationTensors(decoding: [data, data], concurrency: .serial)
    let image = try Image(decoding: data)
    let viaImage = try preprocessor.evaluationTensor(for: image)
    precondition(viaDecoding == [viaImage, viaImage], "the decoding fast path disagrees with the Image path")
    var generator = SplitMix64(seed: UInt64(bytes.count))
    _ = preprocessor.trainingTensor(for: image, using: &generator)
}
