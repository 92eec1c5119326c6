// libFuzzer target: JPEG, PNG and WebP decoding (header and pixels) and OpenCLIP's evaluation
// and training transforms on what decodes.
import DataCompCore
import _FuzzSupport

let preprocessor = ImagePreprocessor(size: 32)
FuzzDriver.run { bytes in
    _ = try? ImageInfo(decodingHeaderOf: Array(bytes))
    let image = try Image(decoding: Array(bytes))
    _ = try preprocessor.evaluationTensor(for: image)
    var generator = SplitMix64(seed: UInt64(bytes.count))
    _ = preprocessor.trainingTensor(for: image, using: &generator)
}
