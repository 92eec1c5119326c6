import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct ImageCorruptionTests {
    /// Small fixtures of every format, mutated deterministically.
    static let sources = [
        "rgb_q90.jpg", "progressive.jpg", "gray.jpg", "cmyk.jpg", "palette.png", "rgba.png",
        "rgb_interlaced.png", "gray16.png", "rgb_lossy.webp", "rgba_lossless.webp",
    ]

    @Test("Mutated and truncated images only ever throw DataCompError", arguments: sources)
    func mutatedImagesThrowDataCompError(_ name: String) throws {
        let original = try Fixtures.bytes("images/" + name)
        var generator = SplitMix64(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var decoded = 0, rejected = 0
        for trial in 0..<1000 {
            var bytes = original
            switch trial % 4 {
            case 0:  // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            case 1:  // flip a few random bytes
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            case 2:  // corrupt the header area
                let i = Int.random(in: 0..<min(64, bytes.count), using: &generator)
                bytes[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            default:  // overwrite a block with zeros or 0xFF
                let start = Int.random(in: 0..<bytes.count, using: &generator)
                let end = min(bytes.count, start + Int.random(in: 1...32, using: &generator))
                let fill: UInt8 = Bool.random(using: &generator) ? 0 : 0xFF
                for i in start..<end { bytes[i] = fill }
            }
            do {
                let image = try Image(decoding: bytes)
                // Whatever decodes must be a consistent image.
                #expect(image.pixels.count == image.width * image.height * image.mode.bytesPerPixel)
                decoded += 1
            } catch is DataCompError {
                rejected += 1
            } catch {
                Issue.record("\(name) trial \(trial) threw a non-DataCompError: \(error)")
            }
        }
        #expect(decoded + rejected == 1000)
        #expect(rejected > 0, "no mutation of \(name) was rejected")
    }
}
