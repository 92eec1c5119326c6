import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Images from real corpora that the foundation refused (images-gaps, gaps_fixtures.py):
/// expectations are Pillow 13.0.0's format, mode, size and SHA-256 of `tobytes()`, and the
/// SHA-256 of OpenCLIP 3.3.0's `preprocess` tensor (float32 little-endian) or the exception it raises.
@Suite struct ImageGapTests {
    struct Expectation {
        var format: String
        var mode: String
        var size: [Int]
        var sha256: String
        var preprocessSHA256: String?
        var preprocessError: String?
    }

    static func expectations() throws -> [String: Expectation] {
        let object = try PoolFixtures.jsonObject("images-gaps/expected.json")
        return object.compactMapValues { value in
            guard let entry = value as? [String: Any] else { return nil }
            return Expectation(
                format: entry["format"] as? String ?? "", mode: entry["mode"] as? String ?? "",
                size: (entry["size"] as? [NSNumber] ?? []).map(\.intValue), sha256: entry["sha256"] as? String ?? "",
                preprocessSHA256: entry["preprocess_sha256"] as? String,
                preprocessError: entry["preprocess_error"] as? String)
        }
    }

    /// Pillow's `tobytes()`: mode "1" packs 8 pixels per byte, most significant bit first, rows
    /// padded to whole bytes; every other mode is the samples as stored.
    static func pillowBytes(_ image: Image) -> [UInt8] {
        guard image.mode == .bilevel else { return image.pixels }
        let rowBytes = (image.width + 7) / 8
        var packed = [UInt8](repeating: 0, count: rowBytes * image.height)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                for x in 0..<image.width where pixels[y * image.width + x] != 0 {
                    packed[y * rowBytes + x / 8] |= 0x80 >> UInt8(x % 8)
                }
            }
        }
        return packed
    }

    @Test(
        "Decoded like Pillow: stray JPEG bytes, animated WebP, APNG and MPO first frames, a 9.5-megapixel strip",
        arguments: [
            "junk_header.jpg", "junk_before_eoi.jpg", "animated.webp", "animated_alpha.webp", "frames.apng",
            "photo.mpo", "strip.png",
        ])
    func decodesLikePillow(name: String) throws {
        let expected = try #require(try Self.expectations()[name])
        let path = Fixtures.path("images-gaps/" + name)
        let image = try Image(contentsOfFile: path)
        #expect(image.mode.rawValue == expected.mode)
        #expect([image.width, image.height] == expected.size)
        #expect(SHA256.hash(Self.pillowBytes(image)).hexString == expected.sha256)
        let info = try ImageInfo(contentsOfFile: path)
        #expect(info.format.rawValue == expected.format && [info.width, info.height] == expected.size)
        let preprocessor = ImagePreprocessor()
        if let tensorHash = expected.preprocessSHA256 {
            let tensor = try preprocessor.evaluationTensor(for: image)
            let bytes = tensor.scalars.withUnsafeBytes { Array($0) }
            #expect(SHA256.hash(bytes).hexString == tensorHash, "OpenCLIP's preprocess tensor, bit for bit")
        } else {
            // OpenCLIP raises (OverflowError from Pillow's resize): a DataCompError, never a trap.
            #expect(expected.preprocessError == "OverflowError")
            let error = try #require(throws: DataCompError.self) { try preprocessor.evaluationTensor(for: image) }
            #expect(error.code == .unsupportedFormat)
        }
    }

    @Test("Errors in damaged JPEGs name the offset where the structure breaks")
    func damagedJPEGOffsets() throws {
        var bytes = try Fixtures.bytes("images-gaps/photo.mpo")
        // Break the SOF segment length so that the header cannot be read at all.
        let sof = try #require((2..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 2] = 0xFF
        bytes[sof + 3] = 0xFF
        let error = try #require(throws: DataCompError.self) { try Image(decoding: bytes) }
        #expect(error.position == .offset(sof))
    }
}
