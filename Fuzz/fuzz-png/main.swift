// libFuzzer target: PNG decoding behind the chunk checksums. Every input is read as a PNG whose
// chunk CRCs are recomputed first, so that mutations of sizes, bit depths, colour types,
// interlacing and palettes reach the decoder instead of stopping at a checksum; the seeds include
// hand-built extreme shapes (multi-million-pixel strips, 16-bit, interlaced, palette).
import DataCompCore
import _FuzzSupport

let preprocessor = ImagePreprocessor(size: 24)
FuzzDriver.run { bytes in
    var png = [UInt8]([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var offset = bytes.count >= 8 && bytes.starts(with: png) ? 8 : 0
    while offset + 8 <= bytes.count {
        let length =
            Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
            | Int(bytes[offset + 3])
        let end = min(bytes.count, offset + 8 + length)
        let chunk = Array(bytes[offset..<end])
        png += chunk
        let crc = chunk.dropFirst(4).withUnsafeBytes { Deflate.zlib_crc32(0, $0) }
        png += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        offset = min(bytes.count, end + 4)
    }
    let image = try Image(decoding: png)
    _ = try preprocessor.evaluationTensor(for: image)
}
