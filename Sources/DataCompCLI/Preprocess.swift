import ArgumentParser
import DataComp
import Foundation

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

    @Flag(help: "Print the decode + transform throughput (excluding the output write) to stderr.")
    var reportThroughput = false

    func run() throws {
        let preprocessor = ImagePreprocessor(size: size)
        var tensors: [Tensor] = []
        tensors.reserveCapacity(images.count)
        if reportThroughput {
            // Decode and transform each image in turn, timing each phase separately.
            // Process CPU time, so that other processes on the machine do not skew the numbers.
            func cpuSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
            var decodeSeconds = 0.0, transformSeconds = 0.0
            for path in images {
                let start = cpuSeconds()
                let image = try Image(contentsOfFile: path)
                let middle = cpuSeconds()
                tensors.append(try preprocessor.evaluationTensor(for: image))
                decodeSeconds += middle - start
                transformSeconds += cpuSeconds() - middle
            }
            let n = Double(images.count)
            let line =
                "\(images.count) images, CPU time: decode \(decodeSeconds * 1000 / n) ms/image, "
                + "transform \(transformSeconds * 1000 / n) ms/image, \(n / (decodeSeconds + transformSeconds)) images/s\n"
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            for path in images {
                tensors.append(try preprocessor.evaluationTensor(for: try Image(contentsOfFile: path)))
            }
        }
        let shape = images.count == 1 ? [3, size, size] : [images.count, 3, size, size]
        var scalars: [Float] = []
        scalars.reserveCapacity(tensors.reduce(0) { $0 + $1.count })
        for tensor in tensors { scalars.append(contentsOf: tensor.scalars) }
        try NPYArray(shape: shape, scalars: scalars).write(to: output)
    }
}
