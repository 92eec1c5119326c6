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
        "Decoded like Pillow: stray JPEG bytes, tables after the scan or none, animated WebP, APNG and MPO first frames, a 9.5-megapixel strip",
        arguments: [
            "junk_header.jpg", "junk_before_eoi.jpg", "cut_table_after_scan.jpg", "table_after_scan.jpg",
            "no_huffman_tables.jpg", "animated.webp", "animated_alpha.webp", "frames.apng", "photo.mpo", "strip.png",
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

    /// JPEGs that Pillow refuses at `load()` ("broken data stream") although their header reads.
    ///
    /// `junk_then_undefined_table.jpg`, a finding of fuzz-image: after a warning (stray bytes), a
    /// fatal error left pixels unwritten while TurboJPEG 2.1 still called it a warning, so
    /// uninitialized memory reached the tensor. `bogus_table_after_scan.jpg`: a complete but
    /// invalid Huffman table after the last scan, where libjpeg fails in
    /// `jpeg_finish_decompress` with every pixel written. Every decoding path must refuse both.
    @Test(
        "A fatal JPEG error after a warning or after the last scanline is an error on every path, as in Pillow",
        arguments: [("junk_then_undefined_table.jpg", "Quantization table"), ("bogus_table_after_scan.jpg", "Huffman")])
    func fatalErrors(name: String, message: String) throws {
        let object = try PoolFixtures.jsonObject("images-gaps/expected.json")
        let entry = try #require(object[name] as? [String: Any])
        #expect(entry["load_error"] as? String == "OSError", "Pillow 13 raises at load()")
        let bytes = try Fixtures.bytes("images-gaps/" + name)
        let info = try ImageInfo(decodingHeaderOf: bytes)
        #expect([info.width, info.height] == (entry["size"] as? [NSNumber])?.map(\.intValue), "the header is readable")
        let decoding = try #require(throws: DataCompError.self) { try Image(decoding: bytes) }
        #expect(decoding.code == .imageDecodingFailed)
        #expect(decoding.message.contains(message))
        let preprocessor = ImagePreprocessor(size: 32)
        for copies in [1, 2] {
            let batch = try #require(throws: DataCompError.self) {
                try preprocessor.evaluationTensors(
                    decoding: Array(repeating: bytes, count: copies), concurrency: .serial)
            }
            #expect(batch.code == .imageDecodingFailed)
        }
    }

    /// Huffman tables of one image never reach the next.
    ///
    /// libjpeg keeps tables from one image to the next on a decompressor: a table after the scan
    /// of one file would be used by a following file that defines none. Each image gets
    /// its own decoder, so a batch gives every image the tensor it has alone (and Pillow's pixels).
    @Test("Tables never carry over from one image of a batch to the next")
    func tablesDoNotCarryOver() throws {
        let first = try Fixtures.bytes("images-gaps/table_after_scan.jpg")
        let second = try Fixtures.bytes("images-gaps/no_huffman_tables.jpg")
        let expected = try #require(try Self.expectations()["no_huffman_tables.jpg"])
        #expect(SHA256.hash(try Image(decoding: second).pixels).hexString == expected.sha256)
        let preprocessor = ImagePreprocessor()
        let batch = try preprocessor.evaluationTensors(decoding: [first, second, second], concurrency: .serial)
        let alone = try preprocessor.evaluationTensors(decoding: [second], concurrency: .serial)
        #expect(batch.count == 3 && alone.count == 1)
        #expect(batch[1] == alone[0] && batch[2] == alone[0])
    }
}
