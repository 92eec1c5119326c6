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
        let clock = ContinuousClock()
        let start = clock.now
        for path in images {
            tensors.append(preprocessor.evaluationTensor(for: try Image(contentsOfFile: path)))
        }
        let elapsed = clock.now - start
        if reportThroughput {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let line = "\(images.count) images in \(seconds) s: \(Double(images.count) / seconds) images/s (decode + transform)\n"
            FileHandle.standardError.write(Data(line.utf8))
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
