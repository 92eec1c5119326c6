import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct ImageResizingTests {
    struct Case: Sendable, CustomStringConvertible {
        var fixture: ImageFixture
        var resize: ImageFixture.Resize
        var description: String {
            "\(fixture.file) → \(resize.width)×\(resize.height) \(resize.filter)"
                + (resize.box == nil ? "" : " with box")
        }
    }

    static let cases: [Case] = ImageFixture.all.flatMap { f in f.resizes.map { Case(fixture: f, resize: $0) } }

    // Expected samples: Pillow 13.0.0 `im.resize((w, h), filter).tobytes()` on Pillow's own
    // decoded image, in the image's mode (P and 1 use nearest, RGBA/LA premultiplied, I;16
    // 16-bit path), with and without a fractional `box=`. Tolerance 0: the resampler is a port of
    // Pillow's fixed-point code.
    @Test("Resizes exactly as Pillow", arguments: cases)
    func resizesLikePillow(_ testCase: Case) throws {
        let image = try testCase.fixture.pillowImage()
        let resized = image.resized(
            width: testCase.resize.width, height: testCase.resize.height, filter: testCase.resize.filter,
            box: testCase.resize.box)
        let expected = try testCase.fixture.bytes(testCase.resize.file)
        let difference = byteDifference(resized.pixels, expected)
        #expect(resized.mode == image.mode)
        #expect(difference.max == 0, "max \(difference.max), \(difference.differing) of \(expected.count) differ")
    }

    @Test("Computes a window bit-identical to cropping the full result")
    func windowMatchesCrop() throws {
        let image = try ImageFixture.named("rgba.png")[0].pillowImage()
        let full = image.resized(width: 50, height: 61)
        let window = image.resized(width: 50, height: 61, filter: .bicubic, box: nil, window: (7, 11, 20, 30))
        #expect(window.pixels == full.cropped(left: 7, top: 11, width: 20, height: 30).pixels)
    }

    @Test("Returns a copy when the size is unchanged")
    func keepsSameSize() throws {
        let image = try ImageFixture.named("rgb.png")[0].pillowImage()
        #expect(image.resized(width: image.width, height: image.height) == image)
    }

    @Test("Pads with zeros where a crop leaves the image")
    func padsCrops() throws {
        let image = try Image(width: 2, height: 1, mode: .gray, pixels: [10, 20])
        let cropped = image.cropped(left: -1, top: -1, width: 4, height: 3)
        #expect(cropped.pixels == [0, 0, 0, 0, 0, 10, 20, 0, 0, 0, 0, 0])
    }
}
