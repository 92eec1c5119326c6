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
        // TODO(merge): replace with the shared NPY writer from the `numpy` branch.
        try AtomicFile.write(Self.npyFloat32(shape: shape, scalars: scalars), to: output)
    }

    /// A minimal NPY 1.0 float32 C-order writer, local until the shared writer is merged.
    static func npyFloat32(shape: [Int], scalars: [Float]) -> [UInt8] {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + scalars.count * 4)
        for value in scalars {
            let bits = value.bitPattern.littleEndian
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        return bytes
    }
}
