import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct ImageDecodingTests {
    @Test("Fixtures are present")
    func fixturesArePresent() {
        #expect(ImageFixture.all.count >= 30)
    }

    // Expected samples: Pillow 13.0.0 `Image.open(f).tobytes()` (PNG via zlib, WebP via libwebp
    // 1.6.0). Tolerance 0: these decoders are exact.
    @Test("Decodes PNG and WebP exactly as Pillow", arguments: ImageFixture.lossless)
    func decodesLosslessLikePillow(_ fixture: ImageFixture) throws {
        let image = try Image(contentsOfFile: Fixtures.path("images/" + fixture.file))
        #expect(image.mode.rawValue == fixture.mode)
        #expect(image.width == fixture.width && image.height == fixture.height)
        #expect(image.pixels == (try fixture.bytes(fixture.raw)))
        if let palette = fixture.palette {
            #expect(image.palette == palette + [UInt8](repeating: 0, count: 768 - palette.count))
        }
        #expect(image.convertedToRGB().pixels == (try fixture.bytes(fixture.rgb)))
    }

    // Expected samples: Pillow 13.0.0 (libjpeg-turbo 3.2.0). We decode with the system
    // libjpeg-turbo 2.1.5 through TurboJPEG with the same defaults (ISLOW IDCT, fancy
    // upsampling), which produce identical samples: tolerance 0.
    @Test("Decodes JPEG exactly as Pillow", arguments: ImageFixture.jpeg)
    func decodesJPEGLikePillow(_ fixture: ImageFixture) throws {
        let image = try Image(contentsOfFile: Fixtures.path("images/" + fixture.file))
        #expect(image.mode.rawValue == fixture.mode)
        #expect(image.width == fixture.width && image.height == fixture.height)
        let difference = byteDifference(image.pixels, try fixture.bytes(fixture.raw))
        #expect(difference.max == 0, "max \(difference.max), \(difference.differing) samples differ")
        #expect(image.convertedToRGB().pixels == (try fixture.bytes(fixture.rgb)))
    }

    @Test("Sniffs the format from magic bytes", arguments: ImageFixture.all)
    func sniffsFormat(_ fixture: ImageFixture) throws {
        #expect(ImageFormat.sniff(try fixture.bytes(fixture.file))?.rawValue == fixture.format)
    }

    @Test("Round-trips RGB and gray through the JPEG encoder")
    func encodesJPEG() async throws {
        // A smooth 64×48 gradient: 4:2:0 JPEG at quality 95 keeps it within a couple of levels
        // (Pillow 13 measures a mean error of 0.61 on the same content).
        var rgb: [UInt8] = []
        for y in 0..<48 { for x in 0..<64 { rgb += [UInt8(x * 4), UInt8(y * 5), UInt8((x + y) * 2)] } }
        let source = try Image(width: 64, height: 48, mode: .rgb, pixels: rgb)
        let decoded = try Image(decoding: try source.jpegData(quality: 95))
        #expect(decoded.mode == .rgb && decoded.width == 64 && decoded.height == 48)
        #expect(byteDifference(decoded.pixels, source.pixels).mean < 2)
        let gray = try Image(
            width: 64, height: 48, mode: .gray, pixels: stride(from: 0, to: rgb.count, by: 3).map { rgb[$0] })
        let decodedGray = try Image(decoding: try gray.jpegData(quality: 95))
        #expect(decodedGray.mode == .gray)
        #expect(byteDifference(decodedGray.pixels, gray.pixels).mean < 2)
        // A quality outside 1...100 is a programmer error: a documented precondition.
        await #expect(processExitsWith: .failure) {
            let image = try Image(width: 2, height: 2, mode: .gray, pixels: [0, 1, 2, 3])
            _ = try image.jpegData(quality: 0)
        }
    }

    @Test("Rejects non-images, empty input and implausible dimensions")
    func rejectsBadInput() throws {
        for bytes: [UInt8] in [[], [0x00], Array("hello world, not an image".utf8), [0xFF, 0xD8, 0xFF]] {
            #expect(throws: DataCompError.self) { try Image(decoding: bytes) }
        }
        // A PNG header claiming 2³¹−1 × 2³¹−1 pixels with a valid CRC.
        var png = try ImageFixture.named("gray.png")[0].bytes("gray.png")
        png.replaceSubrange(16..<24, with: [0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: DataCompError.self) { try Image(decoding: png) }
        // A JPEG whose SOF claims 65535 × 65535 pixels.
        var jpeg = try ImageFixture.named("rgb_q90.jpg")[0].bytes("rgb_q90.jpg")
        if let sof = (0..<(jpeg.count - 9)).first(where: { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }) {
            jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: DataCompError.self) { try Image(decoding: jpeg) }
    }

    @Test("Names the file in decoding errors")
    func namesFileInErrors() throws {
        let folder = try Fixtures.temporaryDirectory("images")
        let path = folder.appendingPathComponent("broken.jpg").path
        let bytes = try ImageFixture.named("rgb_q90.jpg")[0].bytes("rgb_q90.jpg")
        try AtomicFile.write(Array(bytes.prefix(bytes.count / 2)), to: path)
        do {
            _ = try Image(contentsOfFile: path)
            Issue.record("a truncated JPEG decoded without error")
        } catch let error as DataCompError {
            #expect(error.path == path)
            #expect(error.code == .truncatedFile)
        }
    }
}
