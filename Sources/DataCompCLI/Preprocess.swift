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
                tensors.append(preprocessor.evaluationTensor(for: image))
                decodeSeconds += middle - start
                transformSeconds += cpuSeconds() - middle
            }
            let n = Double(images.count)
            let line = "\(images.count) images, CPU time: decode \(decodeSeconds * 1000 / n) ms/image, "
                + "transform \(transformSeconds * 1000 / n) ms/image, \(n / (decodeSeconds + transformSeconds)) images/s\n"
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            for path in images {
                tensors.append(preprocessor.evaluationTensor(for: try Image(contentsOfFile: path)))
            }
        }
        let shape = images.count == 1 ? [3, size, size] : [images.count, 3, size, size]
        // TODO(merge): replace with the shared NPY writer from the `numpy` branch.
        try AtomicFile.write(Self.npyFloat32(shape: shape, tensors: tensors), to: output)
    }

    /// A minimal NPY 1.0 little-endian float32 C-order writer, local until the shared writer is
    /// merged.
    static func npyFloat32(shape: [Int], tensors: [Tensor]) -> [UInt8] {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        let total = tensors.reduce(0) { $0 + $1.count }
        bytes.reserveCapacity(bytes.count + total * 4)
        for tensor in tensors {
            // Float32 is little-endian on every platform Swift runs DataComp on.
            tensor.withUnsafeBufferPointer { buffer in
                bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
            }
        }
        return bytes
    }
}
