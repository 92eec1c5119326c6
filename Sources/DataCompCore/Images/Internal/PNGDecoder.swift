/// A PNG decoder that produces Pillow 13's modes and samples (`PngImagePlugin._MODES`).
///
/// The modes and samples, by bit depth and colour type:
///
/// | bit depth / colour type | mode | samples |
/// |---|---|---|
/// | 1 gray | "1" | 0 or 255 |
/// | 2, 4 gray | "L" | scaled ×85 / ×17 |
/// | 8 gray | "L" | as stored |
/// | 16 gray | "I;16" | 16-bit |
/// | 8, 16 RGB | "RGB" | 16-bit keeps the high byte |
/// | 1, 2, 4, 8 palette | "P" | indices; PLTE as palette |
/// | 8 gray+alpha | "LA" | as stored |
/// | 16 gray+alpha | "RGBA" | gray replicated, high bytes |
/// | 8, 16 RGBA | "RGBA" | 16-bit keeps the high byte |
///
/// tRNS chunks do not change the mode (Pillow keeps them in `info`, and `convert("RGB")` ignores
/// them), so they are skipped. Chunk CRCs before the first IDAT are checked as Pillow checks
/// them; IDAT CRCs are not (the zlib stream's Adler-32 protects the data). A missing IEND after
/// complete image data is accepted. Written in Swift on zlib so that malformed files throw
/// instead of reaching libpng's `longjmp` error path.
enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colorType: Int
        var interlaced: Bool

        var channels: Int {
            switch colorType {
            case 0, 3: return 1
            case 2: return 3
            case 4: return 2
            default: return 4
            }
        }

        var mode: Image.Mode {
            switch (colorType, bitDepth) {
            case (0, 1): return .bilevel
            case (0, 16): return .gray16
            case (0, _): return .gray
            case (2, _): return .rgb
            case (3, _): return .palette
            case (4, 8): return .grayAlpha
            default: return .rgba
            }
        }

        /// Bytes per complete pixel for filtering (at least 1).
        var filterStride: Int { max(1, channels * bitDepth / 8) }

        func rowBytes(width: Int) -> Int { (width * channels * bitDepth + 7) / 8 }
    }

    @inline(__always)
    static func bigEndian32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    /// Reads the IHDR chunk only.
    static func header(_ bytes: UnsafeRawBufferPointer) throws -> Header {
        guard bytes.count >= 33 else {
            throw DataCompError(
                .truncatedFile, "the PNG file ends inside its IHDR chunk", position: .offset(bytes.count))
        }
        guard bytes.starts(with: signature) else {
            throw DataCompError(.invalidFormat, "not a PNG file (bad signature)", position: .offset(0))
        }
        guard bigEndian32(bytes, 8) == 13, bytes[12] == 0x49, bytes[13] == 0x48, bytes[14] == 0x44, bytes[15] == 0x52
        else {
            throw DataCompError(
                .imageDecodingFailed, "the PNG file does not start with a 13-byte IHDR chunk", position: .offset(8))
        }
        let width = Int(bigEndian32(bytes, 16)), height = Int(bigEndian32(bytes, 20))
        let bitDepth = Int(bytes[24]), colorType = Int(bytes[25])
        let valid: Bool
        switch colorType {
        case 0: valid = [1, 2, 4, 8, 16].contains(bitDepth)
        case 3: valid = [1, 2, 4, 8].contains(bitDepth)
        case 2, 4, 6: valid = bitDepth == 8 || bitDepth == 16
        default: valid = false
        }
        guard valid else {
            throw DataCompError(
                .imageDecodingFailed, "unsupported PNG bit depth \(bitDepth) with colour type \(colorType)",
                position: .offset(24))
        }
        guard bytes[26] == 0, bytes[27] == 0, bytes[28] <= 1 else {
            throw DataCompError(
                .imageDecodingFailed, "unknown PNG compression, filter or interlace method", position: .offset(26))
        }
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw DataCompError(
                .imageDecodingFailed, "invalid PNG dimensions \(width)×\(height)", position: .offset(16))
        }
        let crc = Deflate.zlib_crc32(0, UnsafeRawBufferPointer(rebasing: bytes[12..<29]))
        guard crc == bigEndian32(bytes, 29) else {
            throw DataCompError(.corruptData, "bad CRC in the PNG IHDR chunk", position: .offset(29))
        }
        return Header(
            width: width, height: height, bitDepth: bitDepth, colorType: colorType, interlaced: bytes[28] == 1)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Image {
        let header = try header(bytes)
        _ = try Image.byteCount(
            width: header.width, height: header.height, mode: header.mode, code: .imageDecodingFailed)
        var palette: [UInt8]?
        var compressed: [UInt8] = []
        var offset = 8
        var seenData = false
        chunks: while true {
            guard offset + 8 <= bytes.count else {
                if seenData { break }
                throw DataCompError(
                    .truncatedFile, "the PNG file ends before its image data", position: .offset(offset))
            }
            let length = Int(bigEndian32(bytes, offset))
            let type = bigEndian32(bytes, offset + 4)
            let dataStart = offset + 8
            guard length <= Int(Int32.max), dataStart + length + 4 <= bytes.count else {
                if seenData && type != 0x4944_4154 { break }
                throw DataCompError(
                    .truncatedFile, "the PNG chunk at this offset declares \(length) bytes but the file ends first",
                    position: .offset(offset))
            }
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + length)])
            if !seenData && type != 0x4944_4154 {
                let crc = Deflate.zlib_crc32(
                    0, UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(dataStart + length)]))
                guard crc == bigEndian32(bytes, dataStart + length) else {
                    throw DataCompError(.corruptData, "bad CRC in a PNG chunk", position: .offset(offset))
                }
            }
            switch type {
            case 0x4944_4154:  // IDAT
                seenData = true
                compressed.append(contentsOf: data)
            case 0x504C_5445:  // PLTE
                guard length % 3 == 0, length <= 768, length > 0 else {
                    throw DataCompError(
                        .imageDecodingFailed, "invalid PNG palette of \(length) bytes", position: .offset(offset))
                }
                palette = [UInt8](data)
            case 0x4945_4E44:  // IEND
                break chunks
            default:
                if seenData && type != 0x4944_4154 {
                    // Image data is complete once another chunk follows it.
                }
            }
            offset = dataStart + length + 4
        }
        guard seenData else {
            throw DataCompError(.imageDecodingFailed, "the PNG file has no IDAT chunk", position: .offset(offset))
        }
        if header.colorType == 3 && palette == nil {
            throw DataCompError(.imageDecodingFailed, "the palette PNG has no PLTE chunk")
        }
        return try decodeData(compressed, header: header, palette: header.colorType == 3 ? palette : nil)
    }

    static let adam7: [(x: Int, y: Int, dx: Int, dy: Int)] = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    static func decodeData(_ compressed: [UInt8], header: Header, palette: [UInt8]?) throws -> Image {
        let w = header.width, h = header.height
        var passes: [(x: Int, y: Int, dx: Int, dy: Int, width: Int, height: Int)] = []
        if header.interlaced {
            for p in adam7 {
                let pw = (w - p.x + p.dx - 1) / p.dx, ph = (h - p.y + p.dy - 1) / p.dy
                if pw > 0 && ph > 0 { passes.append((p.x, p.y, p.dx, p.dy, pw, ph)) }
            }
        } else {
            passes.append((0, 0, 1, 1, w, h))
        }
        var expected = 0
        for pass in passes {
            let (rowTotal, o1) = (header.rowBytes(width: pass.width) + 1).multipliedReportingOverflow(by: pass.height)
            let (sum, o2) = expected.addingReportingOverflow(rowTotal)
            guard !o1, !o2 else { throw DataCompError(.imageDecodingFailed, "PNG dimensions overflow") }
            expected = sum
        }
        // Deflate expands at most about 1032:1; more than that means truncated or corrupt data.
        guard expected / 1032 <= compressed.count + 64 else {
            throw DataCompError(
                .truncatedFile,
                "the PNG image data (\(compressed.count) compressed bytes) is too short for a \(w)×\(h) image")
        }
        var raw = try Deflate.zlib_inflate(compressed, expectedCount: expected)
        guard raw.count == expected else {
            throw DataCompError(
                .truncatedFile, "the PNG image data ends early: \(raw.count) of \(expected) bytes after decompression")
        }
        let mode = header.mode
        let bpp = mode.bytesPerPixel
        var pixels = [UInt8](repeating: 0, count: w * h * bpp)
        var start = 0
        for pass in passes {
            let rowBytes = header.rowBytes(width: pass.width)
            try unfilter(&raw, start: start, rowBytes: rowBytes, rows: pass.height, stride: header.filterStride)
            raw.withUnsafeBufferPointer { src in
                pixels.withUnsafeMutableBufferPointer { out in
                    for row in 0..<pass.height {
                        let line = start + row * (rowBytes + 1) + 1
                        let y = pass.y + row * pass.dy
                        for column in 0..<pass.width {
                            let x = pass.x + column * pass.dx
                            store(src, line: line, column: column, header: header, into: out, at: (y * w + x) * bpp)
                        }
                    }
                }
            }
            start += (rowBytes + 1) * pass.height
        }
        return Image(
            unchecked: w, h, mode, pixels, palette: palette.map { $0 + [UInt8](repeating: 0, count: 768 - $0.count) })
    }

    @inline(__always)
    static func store(
        _ src: UnsafeBufferPointer<UInt8>, line: Int, column: Int, header: Header,
        into out: UnsafeMutableBufferPointer<UInt8>, at index: Int
    ) {
        let depth = header.bitDepth
        if depth < 8 {
            let bit = column * depth
            let byte = src[line + bit / 8]
            let shift = 8 - depth - bit % 8
            let value = (byte >> UInt8(shift)) & UInt8((1 << depth) - 1)
            switch header.colorType {
            case 3: out[index] = value
            default:
                out[index] = depth == 1 ? (value == 0 ? 0 : 255) : (depth == 2 ? value &* 85 : value &* 17)
            }
            return
        }
        let channels = header.channels
        if depth == 8 {
            let p = line + column * channels
            for c in 0..<channels { out[index + c] = src[p + c] }
            return
        }
        // 16-bit: big-endian samples.
        let p = line + column * channels * 2
        switch header.colorType {
        case 0:
            out[index] = src[p + 1]
            out[index + 1] = src[p]
        case 4:
            out[index] = src[p]; out[index + 1] = src[p]; out[index + 2] = src[p]; out[index + 3] = src[p + 2]
        default:
            for c in 0..<channels { out[index + c] = src[p + 2 * c] }
        }
    }

    /// Undoes PNG row filters in place (filter types 0–4).
    static func unfilter(_ raw: inout [UInt8], start: Int, rowBytes: Int, rows: Int, stride: Int) throws {
        try raw.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rows {
                let line = start + row * (rowBytes + 1)
                let filter = buffer[line]
                let cur = line + 1
                let prev = row > 0 ? cur - (rowBytes + 1) : -1
                switch filter {
                case 0: break
                case 1:
                    if rowBytes > stride { for i in stride..<rowBytes { buffer[cur + i] &+= buffer[cur + i - stride] } }
                case 2:
                    if prev >= 0 { for i in 0..<rowBytes { buffer[cur + i] &+= buffer[prev + i] } }
                case 3:
                    for i in 0..<rowBytes {
                        let left = i >= stride ? Int(buffer[cur + i - stride]) : 0
                        let up = prev >= 0 ? Int(buffer[prev + i]) : 0
                        buffer[cur + i] &+= UInt8((left + up) / 2)
                    }
                case 4:
                    for i in 0..<rowBytes {
                        let a = i >= stride ? Int(buffer[cur + i - stride]) : 0
                        let b = prev >= 0 ? Int(buffer[prev + i]) : 0
                        let c = (i >= stride && prev >= 0) ? Int(buffer[prev + i - stride]) : 0
                        let p = a + b - c
                        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                        let predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                        buffer[cur + i] &+= UInt8(predictor)
                    }
                default:
                    throw DataCompError(.corruptData, "unknown PNG row filter type \(filter) in row \(row)")
                }
            }
        }
    }
}
