#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// SSE2 kernels for Pillow's 8-bit fixed-point passes (x86-64 baseline, no extra CPU flags).
    ///
    /// `pmaddwd` multiplies 16-bit lanes pairwise and adds each pair, 8 products per instruction.
    /// Pillow's 22-bit weights do not fit 16 bits, so each weight is split as
    /// `w = hi·2¹¹ + lo` with `lo = w & 2047`; `Σ v·w = (Σ v·hi)·2¹¹ + Σ v·lo` holds exactly in
    /// 32-bit integer arithmetic, so the results are bit-identical to Pillow's scalar loops.
    extension PillowResampler {
        @inline(__always)
        static func splitWeight(_ w: Int32) -> (hi: Int16, lo: Int16) {
            (Int16(truncatingIfNeeded: w >> 11), Int16(truncatingIfNeeded: w & 2047))
        }

        @inline(__always)
        static func pairVector(_ a: Int16, _ b: Int16) -> __m128i {
            unsafeBitCast(SIMD8<Int16>(a, b, a, b, a, b, a, b), to: __m128i.self)
        }

        /// Shifts the low 64 bits right by one pixel (`pixelBits` is 24 or 32).
        @inline(__always)
        static func shiftRight(_ value: __m128i, pixelBits: Int32) -> __m128i {
            pixelBits == 24 ? _mm_srli_epi64(value, 24) : _mm_srli_epi64(value, 32)
        }

        /// Combines the two partial sums, adds the rounding half, shifts by 22 and saturates to
        /// 0…255 (Pillow's `clip8`), returning the packed bytes.
        @inline(__always)
        static func finish(_ hi: __m128i, _ lo: __m128i) -> __m128i {
            let half = _mm_set1_epi32(1 << 21)
            return _mm_srai_epi32(_mm_add_epi32(_mm_add_epi32(_mm_slli_epi32(hi, 11), lo), half), 22)
        }

        /// The horizontal pass for 3- or 4-channel pixels: two taps per `pmaddwd`, all channels at once.
        ///
        /// Returns `false` (having done nothing) when it does not apply.
        static func horizontalPassSSE2(
            _ src: UnsafeBufferPointer<UInt8>, stride: Int, firstRow: Int, rowCount: Int,
            channels: Int, coefficients: Coefficients, columnBase: Int, into out: UnsafeMutableBufferPointer<UInt8>
        ) -> Bool {
            guard channels == 3 || channels == 4, let srcBase = src.baseAddress, let outBase = out.baseAddress else {
                return false
            }
            let outputs = coefficients.first.count
            let ksize = coefficients.kernelSize
            // Per output: ⌈n/2⌉ pairs of (hi, lo) weight vectors.
            var pairStart = [Int](repeating: 0, count: outputs + 1)
            for xx in 0..<outputs { pairStart[xx + 1] = pairStart[xx] + (coefficients.count[xx] + 1) / 2 }
            var pairs = [__m128i](repeating: _mm_setzero_si128(), count: max(1, 2 * pairStart[outputs]))
            for xx in 0..<outputs {
                let n = coefficients.count[xx]
                for pair in 0..<((n + 1) / 2) {
                    let a = splitWeight(coefficients.weights[xx * ksize + 2 * pair])
                    let b =
                        2 * pair + 1 < n
                        ? splitWeight(coefficients.weights[xx * ksize + 2 * pair + 1]) : (hi: Int16(0), lo: Int16(0))
                    pairs[2 * (pairStart[xx] + pair)] = pairVector(a.hi, b.hi)
                    pairs[2 * (pairStart[xx] + pair) + 1] = pairVector(a.lo, b.lo)
                }
            }
            let srcEnd = srcBase + src.count
            let outEnd = outBase + out.count
            let zero = _mm_setzero_si128()
            let channelBits = Int32(8 * channels)
            pairs.withUnsafeBufferPointer { pairBuffer in
                pairStart.withUnsafeBufferPointer { starts in
                    coefficients.first.withUnsafeBufferPointer { firsts in
                        coefficients.count.withUnsafeBufferPointer { counts in
                            coefficients.weights.withUnsafeBufferPointer { weightBuffer in
                                guard let weightPairs = pairBuffer.baseAddress, let weights = weightBuffer.baseAddress
                                else { return }
                                for row in 0..<rowCount {
                                    let line = srcBase + (firstRow + row) * stride
                                    var dst = outBase + row * outputs * channels
                                    for xx in 0..<outputs {
                                        let p = line + (firsts[xx] - columnBase) * channels
                                        let pairCount = starts[xx + 1] - starts[xx]
                                        // Each pair loads 8 bytes (two pixels and a bit); stay inside the buffer.
                                        if p + (2 * pairCount - 2) * channels + 8 <= srcEnd {
                                            var accHi = zero, accLo = zero
                                            var w = weightPairs + 2 * starts[xx]
                                            var q = p
                                            for _ in 0..<pairCount {
                                                // a = [p0 p1 …] bytes; b = a shifted by one pixel; interleaving gives
                                                // [c0 of p0, c0 of p1, c1 of p0, c1 of p1, …] for pmaddwd.
                                                let a = _mm_loadl_epi64(
                                                    UnsafeRawPointer(q).assumingMemoryBound(to: __m128i.self))
                                                let b = shiftRight(a, pixelBits: channelBits)
                                                let x = _mm_unpacklo_epi8(_mm_unpacklo_epi8(a, b), zero)
                                                accHi = _mm_add_epi32(accHi, _mm_madd_epi16(x, w[0]))
                                                accLo = _mm_add_epi32(accLo, _mm_madd_epi16(x, w[1]))
                                                w += 2
                                                q += 2 * channels
                                            }
                                            let packed16 = _mm_packs_epi32(finish(accHi, accLo), zero)
                                            let bytes = _mm_cvtsi128_si32(_mm_packus_epi16(packed16, zero))
                                            if dst + 4 <= outEnd {
                                                // For RGB the fourth byte is overwritten by the next pixel.
                                                UnsafeMutableRawPointer(dst).storeBytes(of: bytes, as: Int32.self)
                                            } else {
                                                let value = UInt32(bitPattern: bytes)
                                                for c in 0..<channels {
                                                    dst[c] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(c)))
                                                }
                                            }
                                        } else {
                                            let n = counts[xx]
                                            let k = weights + xx * ksize
                                            for c in 0..<channels {
                                                var s0: Int32 = 1 << 21
                                                for x in 0..<n { s0 &+= Int32(p[x * channels + c]) &* k[x] }
                                                let v = s0 >> 22
                                                dst[c] = v < 0 ? 0 : (v > 255 ? 255 : UInt8(truncatingIfNeeded: v))
                                            }
                                        }
                                        dst += channels
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return true
        }

        /// The vertical pass: two source rows per `pmaddwd`, 16 output bytes per block, accumulators
        /// kept in registers across taps.
        static func verticalPassSSE2(
            _ src: UnsafeBufferPointer<UInt8>, stride: Int, columnOffset: Int, rowBytes: Int, rowBase: Int,
            coefficients: Coefficients, into out: UnsafeMutableBufferPointer<UInt8>
        ) {
            guard let srcBase = src.baseAddress, let outBase = out.baseAddress else { return }
            let outputs = coefficients.first.count
            let ksize = coefficients.kernelSize
            let zero = _mm_setzero_si128()
            let blocks = rowBytes / 16
            var hiPairs = [__m128i](repeating: zero, count: ksize / 2 + 1)
            var loPairs = [__m128i](repeating: zero, count: ksize / 2 + 1)
            var pairLines = [Int](repeating: 0, count: 2 * (ksize / 2 + 1))
            for yy in 0..<outputs {
                let ymin = coefficients.first[yy] - rowBase
                let n = coefficients.count[yy]
                let pairCount = (n + 1) / 2
                for pair in 0..<pairCount {
                    let a = splitWeight(coefficients.weights[yy * ksize + 2 * pair])
                    let second = 2 * pair + 1 < n
                    let b =
                        second
                        ? splitWeight(coefficients.weights[yy * ksize + 2 * pair + 1]) : (hi: Int16(0), lo: Int16(0))
                    hiPairs[pair] = pairVector(a.hi, b.hi)
                    loPairs[pair] = pairVector(a.lo, b.lo)
                    pairLines[2 * pair] = (ymin + 2 * pair) * stride + columnOffset
                    pairLines[2 * pair + 1] = (second ? ymin + 2 * pair + 1 : ymin + 2 * pair) * stride + columnOffset
                }
                let dst = outBase + yy * rowBytes
                hiPairs.withUnsafeBufferPointer { his in
                    loPairs.withUnsafeBufferPointer { los in
                        pairLines.withUnsafeBufferPointer { lines in
                            for block in 0..<blocks {
                                let offset = block * 16
                                var h0 = zero, h1 = zero, h2 = zero, h3 = zero
                                var l0 = zero, l1 = zero, l2 = zero, l3 = zero
                                for pair in 0..<pairCount {
                                    let ra = UnsafeRawPointer(srcBase + lines[2 * pair] + offset).loadUnaligned(
                                        as: __m128i.self)
                                    let rb = UnsafeRawPointer(srcBase + lines[2 * pair + 1] + offset).loadUnaligned(
                                        as: __m128i.self)
                                    let low = _mm_unpacklo_epi8(ra, rb), high = _mm_unpackhi_epi8(ra, rb)
                                    let x0 = _mm_unpacklo_epi8(low, zero), x1 = _mm_unpackhi_epi8(low, zero)
                                    let x2 = _mm_unpacklo_epi8(high, zero), x3 = _mm_unpackhi_epi8(high, zero)
                                    let wh = his[pair], wl = los[pair]
                                    h0 = _mm_add_epi32(h0, _mm_madd_epi16(x0, wh));
                                    l0 = _mm_add_epi32(l0, _mm_madd_epi16(x0, wl))
                                    h1 = _mm_add_epi32(h1, _mm_madd_epi16(x1, wh));
                                    l1 = _mm_add_epi32(l1, _mm_madd_epi16(x1, wl))
                                    h2 = _mm_add_epi32(h2, _mm_madd_epi16(x2, wh));
                                    l2 = _mm_add_epi32(l2, _mm_madd_epi16(x2, wl))
                                    h3 = _mm_add_epi32(h3, _mm_madd_epi16(x3, wh));
                                    l3 = _mm_add_epi32(l3, _mm_madd_epi16(x3, wl))
                                }
                                let first = _mm_packs_epi32(finish(h0, l0), finish(h1, l1))
                                let second = _mm_packs_epi32(finish(h2, l2), finish(h3, l3))
                                UnsafeMutableRawPointer(dst + offset).storeBytes(
                                    of: _mm_packus_epi16(first, second), as: __m128i.self)
                            }
                            // The last rowBytes % 16 bytes: Pillow's scalar loop.
                            for i in (blocks * 16)..<rowBytes {
                                var s: Int32 = 1 << 21
                                for y in 0..<n {
                                    s &+=
                                        Int32(srcBase[(ymin + y) * stride + columnOffset + i])
                                        &* coefficients.weights[yy * ksize + y]
                                }
                                let v = s >> 22
                                dst[i] = v < 0 ? 0 : (v > 255 ? 255 : UInt8(truncatingIfNeeded: v))
                            }
                        }
                    }
                }
            }
        }
    }
#endif
