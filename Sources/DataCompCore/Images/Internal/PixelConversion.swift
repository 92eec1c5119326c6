/// Pillow's 8-bit mode conversions (`src/libImaging/Convert.c`), checked against Pillow 13.0
/// over every (value, alpha) pair and over random CMYK samples.
enum PixelConversion {
    /// Pillow's `MULDIV255(a, b)`: `a·b/255` rounded, computed as `((t >> 8) + t) >> 8` with
    /// `t = a·b + 128`.
    @inline(__always)
    static func mulDiv255(_ a: Int32, _ b: Int32) -> Int32 {
        let t = a &* b &+ 128
        return ((t >> 8) &+ t) >> 8
    }

    /// "RGBA" → "RGBa" or "LA" → "La": multiplies the colour samples by alpha/255 in place.
    ///
    /// `channels` is 4 (alpha last) or 2 (gray, alpha).
    static func premultiply(_ pixels: inout [UInt8], channels: Int) {
        let colour = channels - 1
        pixels.withUnsafeMutableBufferPointer { buffer in
            var i = 0
            while i + channels <= buffer.count {
                let alpha = Int32(buffer[i + colour])
                if alpha != 255 {
                    for c in 0..<colour {
                        buffer[i + c] = UInt8(truncatingIfNeeded: mulDiv255(Int32(buffer[i + c]), alpha))
                    }
                }
                i += channels
            }
        }
    }

    /// "RGBa" → "RGBA" or "La" → "LA": `min(255, 255·v / alpha)` (integer division) unless alpha
    /// is 0 or 255, in place.
    static func unpremultiply(_ pixels: inout [UInt8], channels: Int) {
        let colour = channels - 1
        pixels.withUnsafeMutableBufferPointer { buffer in
            var i = 0
            while i + channels <= buffer.count {
                let alpha = Int32(buffer[i + colour])
                if alpha != 0 && alpha != 255 {
                    for c in 0..<colour {
                        let v = (255 * Int32(buffer[i + c])) / alpha
                        buffer[i + c] = v > 255 ? 255 : UInt8(truncatingIfNeeded: v)
                    }
                }
                i += channels
            }
        }
    }

    /// Converts `pixels` in `mode` to tightly packed RGB as Pillow's `convert("RGB")` does:
    /// gray replicated, alpha dropped without compositing, palette looked up, CMYK through
    /// `cmyk2rgb`, 16-bit gray clipped to 255.
    static func rgb(from pixels: [UInt8], mode: Image.Mode, palette: [UInt8]?, pixelCount: Int) -> [UInt8] {
        if mode == .rgb { return pixels }
        return [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { out, initialized in
            pixels.withUnsafeBufferPointer { src in
                switch mode {
                case .bilevel, .gray:
                    for i in 0..<pixelCount {
                        let v = src[i]
                        out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v
                    }
                case .grayAlpha:
                    for i in 0..<pixelCount {
                        let v = src[2 * i]
                        out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v
                    }
                case .gray16:
                    for i in 0..<pixelCount {
                        let value = Int(src[2 * i]) | Int(src[2 * i + 1]) << 8
                        let v = UInt8(min(value, 255))
                        out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v
                    }
                case .palette:
                    let table = palette ?? [UInt8](repeating: 0, count: 768)
                    table.withUnsafeBufferPointer { lut in
                        for i in 0..<pixelCount {
                            let p = Int(src[i]) * 3
                            out[3 * i] = lut[p]; out[3 * i + 1] = lut[p + 1]; out[3 * i + 2] = lut[p + 2]
                        }
                    }
                case .rgba:
                    for i in 0..<pixelCount {
                        out[3 * i] = src[4 * i]; out[3 * i + 1] = src[4 * i + 1]; out[3 * i + 2] = src[4 * i + 2]
                    }
                case .cmyk:
                    for i in 0..<pixelCount {
                        let nk = 255 - Int32(src[4 * i + 3])
                        for c in 0..<3 {
                            let v = nk - mulDiv255(Int32(src[4 * i + c]), nk)
                            out[3 * i + c] = UInt8(truncatingIfNeeded: max(0, min(255, v)))
                        }
                    }
                case .rgb:
                    break
                }
            }
            initialized = pixelCount * 3
        }
    }
}
