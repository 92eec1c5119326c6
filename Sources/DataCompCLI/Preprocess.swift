import ArgumentParser
import DataComp

/// `datacomp preprocess --image FILE [--size 224] --output OUT.npy`: OpenCLIP's evaluation
/// transform as a float32 array.
struct Preprocess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply OpenCLIP's evaluation preprocessing to images and save the result as .npy.",
        discussion: """
            Decodes each JPEG, PNG or WebP image as Pillow does, resizes its shorter side to SIZE \
            with Pillow's bicubic resampler, centre-crops SIZE×SIZE, converts to RGB and \
            normalizes with the OpenAI mean and std, exactly like open_clip's preprocess. One \
            image gives a float32 array of shape [3, SIZE, SIZE]; several give [N, 3, SIZE, SIZE].
            """
    )

    @Option(name: .customLong("image"), help: "An image file (repeat for several).")
    var images: [String] = []

    @Option(help: "The side of the square output.")
    var size: Int = 224

    @Option(help: "The .npy file to write.")
    var output: String

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one --image") }
        guard size > 0 else { throw ValidationError("--size must be positive") }
    }

    func run() throws {
        let preprocessor = ImagePreprocessor(size: size)
        var scalars: [Float] = []
        scalars.reserveCapacity(images.count * 3 * size * size)
        for path in images {
            let tensor = preprocessor.evaluationTensor(for: try Image(contentsOfFile: path))
            scalars.append(contentsOf: tensor.scalars)
        }
        let shape = images.count == 1 ? [3, size, size] : [images.count, 3, size, size]
        try NPYArray(shape: shape, scalars: scalars).write(to: output)
    }
}
