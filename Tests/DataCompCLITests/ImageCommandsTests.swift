import Foundation
import Testing
import _DataCompTestSupport

@Suite struct ImageCommandsTests {
    // Expected values: Pillow 13.0.0 `Image.open(f)` → format, size and mode (see
    // Tests/Fixtures/images/index.json).
    @Test(
        "inspect summarizes images as Pillow names them",
        arguments: [
            ("rgb_q90.jpg", "JPEG", 64, 48, "RGB"), ("cmyk.jpg", "JPEG", 32, 24, "CMYK"),
            ("gray.jpg", "JPEG", 40, 30, "L"),
            ("palette.png", "PNG", 40, 33, "P"), ("gray16.png", "PNG", 27, 19, "I;16"),
            ("gray_alpha16.png", "PNG", 15, 12, "RGBA"),
            ("rgba_lossy.webp", "WEBP", 34, 30, "RGBA"), ("rgb_lossy.webp", "WEBP", 48, 40, "RGB"),
        ])
    func inspectsImages(_ c: (String, String, Int, Int, String)) throws {
        let result = try CommandRunner.run(["inspect", Fixtures.path("images/" + c.0)])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(json?["format"] as? String == c.1)
        #expect(json?["width"] as? Int == c.2)
        #expect(json?["height"] as? Int == c.3)
        #expect(json?["mode"] as? String == c.4)
    }

    @Test("inspect reports a corrupt image with its path")
    func inspectReportsCorruptImage() throws {
        let folder = try Fixtures.temporaryDirectory("inspect-image")
        let path = folder.appendingPathComponent("bad.png").path
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).write(to: URL(fileURLWithPath: path))
        let result = try CommandRunner.run(["inspect", path])
        #expect(result.status != 0)
        #expect(result.standardError.contains(path))
    }

    // Expected tensor: OpenCLIP 3.3.0 image_transform(32, is_train=False) on Pillow 13.0.0's
    // decoded image; tolerance 1e-5 (the pipeline is exact up to float rounding).
    @Test("preprocess writes OpenCLIP's tensor as .npy")
    func preprocessWritesNPY() throws {
        let folder = try Fixtures.temporaryDirectory("preprocess")
        let output = folder.appendingPathComponent("out.npy").path
        let result = try CommandRunner.run([
            "preprocess", "--image", Fixtures.path("images/rgb_q90.jpg"), "--size", "32", "--output", output,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(bytes.count == 128 + 3 * 32 * 32 * 4)
        #expect(String(decoding: bytes[10..<128], as: UTF8.self).contains("'shape': (3, 32, 32)"))
        let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("images/rgb_q90.jpg.p32.f32"))))
        var worst: Float = 0
        for i in stride(from: 0, to: expected.count, by: 4) {
            let a = Float(
                bitPattern: UInt32(bytes[128 + i]) | UInt32(bytes[129 + i]) << 8 | UInt32(bytes[130 + i]) << 16
                    | UInt32(bytes[131 + i]) << 24)
            let b = Float(
                bitPattern: UInt32(expected[i]) | UInt32(expected[i + 1]) << 8 | UInt32(expected[i + 2]) << 16 | UInt32(
                    expected[i + 3]) << 24)
            worst = max(worst, abs(a - b))
        }
        #expect(worst <= 1e-5)
    }
}
