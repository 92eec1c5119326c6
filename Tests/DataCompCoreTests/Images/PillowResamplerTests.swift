import DataCompCore
import Testing
import _DataCompTestSupport

/// The optimized resampler (SIMD/SSE2 kernels, windows, both pass orders) against a direct,
/// unoptimized transcription of Pillow 13's `Resample.c` loops written here.
@Suite struct PillowResamplerTests {
    /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for one axis.
    static func coefficients(_ inSize: Int, _ outSize: Int, bicubic: Bool) -> [(first: Int, weights: [Int32])] {
        let scale = Double(Float(inSize)) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = (bicubic ? 2.0 : 1.0) * filterScale
        func kernel(_ v: Double) -> Double {
            let x = abs(v)
            if !bicubic { return x < 1 ? 1 - x : 0 }
            if x < 1 { return (1.5 * x - 2.5) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * -0.5 }
            return 0
        }
        return (0..<outSize).map { xx in
            let center = (Double(xx) + 0.5) * scale
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize)
            var w = (xmin..<xmax).map { kernel((Double($0) - center + 0.5) * (1.0 / filterScale)) }
            let total = w.reduce(0, +)
            if total != 0 { w = w.map { $0 / total } }
            return (xmin, w.map { Int32($0 < 0 ? -0.5 + $0 * 4_194_304 : 0.5 + $0 * 4_194_304) })
        }
    }

    static func pass(_ px: [UInt8], _ w: Int, _ h: Int, _ c: Int, horizontal: Bool, to size: Int, bicubic: Bool)
        -> [UInt8]
    {
        let coeffs = coefficients(horizontal ? w : h, size, bicubic: bicubic)
        let ow = horizontal ? size : w, oh = horizontal ? h : size
        var out = [UInt8](repeating: 0, count: ow * oh * c)
        for y in 0..<oh {
            for x in 0..<ow {
                for ch in 0..<c {
                    let k = coeffs[horizontal ? x : y]
                    var s: Int32 = 1 << 21
                    for (t, weight) in k.weights.enumerated() {
                        let sx = horizontal ? k.first + t : x, sy = horizontal ? y : k.first + t
                        s &+= Int32(px[(sy * w + sx) * c + ch]) &* weight
                    }
                    out[(y * ow + x) * c + ch] = UInt8(max(0, min(255, s >> 22)))
                }
            }
        }
        return out
    }

    static func reference(_ px: [UInt8], _ w: Int, _ h: Int, _ c: Int, _ ow: Int, _ oh: Int, bicubic: Bool) -> [UInt8] {
        let verticalFirst = (h - oh) > 0 && (h - oh) > 2 * (w - ow)
        if verticalFirst {
            let v = oh != h ? pass(px, w, h, c, horizontal: false, to: oh, bicubic: bicubic) : px
            return ow != w ? pass(v, w, oh, c, horizontal: true, to: ow, bicubic: bicubic) : v
        }
        let hp = ow != w ? pass(px, w, h, c, horizontal: true, to: ow, bicubic: bicubic) : px
        return oh != h ? pass(hp, ow, h, c, horizontal: false, to: oh, bicubic: bicubic) : hp
    }

    @Test(
        "Optimized kernels equal a plain port of Pillow's loops", arguments: [Image.Mode.gray, .rgb, .cmyk, .grayAlpha])
    func matchesPlainPort(_ mode: Image.Mode) throws {
        var generator = SplitMix64(seed: 99 &+ UInt64(mode.bytesPerPixel))
        let c = mode == .grayAlpha ? 2 : mode.bytesPerPixel
        for _ in 0..<40 {
            let w = Int.random(in: 1...70, using: &generator), h = Int.random(in: 1...70, using: &generator)
            let ow = Int.random(in: 1...90, using: &generator), oh = Int.random(in: 1...90, using: &generator)
            let bicubic = Bool.random(using: &generator)
            let px = (0..<(w * h * c)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // "LA" resizes premultiplied; compare its raw resampler through gray+alpha as 2 channels
            // only for opaque images, where premultiplication is the identity.
            var pixels = px
            if mode == .grayAlpha { for i in stride(from: 1, to: pixels.count, by: 2) { pixels[i] = 255 } }
            let image = try Image(width: w, height: h, mode: mode, pixels: pixels)
            let ours = image.resized(width: ow, height: oh, filter: bicubic ? .bicubic : .bilinear)
            let expected = (ow == w && oh == h) ? pixels : Self.reference(pixels, w, h, c, ow, oh, bicubic: bicubic)
            #expect(ours.pixels == expected, "\(mode) \(w)×\(h) → \(ow)×\(oh) bicubic \(bicubic)")
            // A random window of the output equals the same crop of the full output.
            let wx = Int.random(in: 0..<ow, using: &generator), wy = Int.random(in: 0..<oh, using: &generator)
            let ww = Int.random(in: 1...(ow - wx), using: &generator),
                wh = Int.random(in: 1...(oh - wy), using: &generator)
            let window = image.resized(
                width: ow, height: oh, filter: bicubic ? .bicubic : .bilinear, box: nil, window: (wx, wy, ww, wh))
            #expect(window.pixels == ours.cropped(left: wx, top: wy, width: ww, height: wh).pixels)
        }
    }
}
