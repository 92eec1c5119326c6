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

    @Option(help: "How many images are decoded and preprocessed at once (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Time decoding and the transform separately, image by image, and print both to stderr.")
    var reportThroughput = false

    func run() throws {
        guard workers > 0 else { throw ValidationError("--workers must be positive") }
        let preprocessor = ImagePreprocessor(size: size)
        let shape = images.count == 1 ? [3, size, size] : [images.count, 3, size, size]
        if reportThroughput {
            try runTimed(preprocessor, shape: shape)
            return
        }
        // The files are memory-mapped and decoded in place; the output streams into the .npy in
        // batches through one reused buffer (no tensor per image, no stacked copy).
        let files = try images.map { path in
            do {
                return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } catch {
                let missing = !FileManager.default.fileExists(atPath: path)
                throw DataCompError(
                    missing ? .fileNotFound : .io, "cannot read the image: \(error.localizedDescription)", path: path)
            }
        }
        do {
            try AtomicFile.write(to: output) { sink in
                try sink.write(NPYHeader.encoded(dataType: .float32, shape: shape))
                try preprocessor.forEachEvaluationBatch(
                    decoding: files, batchSize: 16, concurrency: ConcurrencyBudget(width: workers)
                ) { _, values in
                    try sink.write(UnsafeRawBufferPointer(values))
                }
            }
        } catch var error as DataCompError {
            // Batch errors name the image by index; name its file instead.
            if error.path == nil, let row = error.position?.row, images.indices.contains(row) {
                error.path = images[row]
                error.position = nil
            }
            throw error
        }
    }

    /// `--report-throughput`: decode and transform each image in turn, timing each phase in
    /// process CPU time (so that other processes on the machine do not skew the numbers).
    private func runTimed(_ preprocessor: ImagePreprocessor, shape: [Int]) throws {
        func cpuSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
        var decodeSeconds = 0.0, transformSeconds = 0.0
        var tensors: [Tensor] = []
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
        try AtomicFile.write(to: output) { sink in
            try sink.write(NPYHeader.encoded(dataType: .float32, shape: shape))
            for tensor in tensors { try tensor.scalars.withUnsafeBytes { try sink.write($0) } }
        }
    }
}
