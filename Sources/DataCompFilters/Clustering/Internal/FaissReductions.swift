/// faiss's float reductions in their exact summation order.
///
/// As the AVX2 build's `fvec_norm_L2sqr`, `fvec_L2sqr` and `fvec_inner_product`: eight lane sums of rounded
/// products, folded to four, an FMA for a remaining group of four, a pairwise tree, then FMAs for
/// the tail. Matching the order makes norms, small-input distances and spherical renormalisation
/// bit-identical to faiss.
enum FaissReductions {
    /// `Σ a[i]·b[i]` in faiss's order.
    @inline(__always)
    static func innerProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        reduce(count) {
            a[$0] * b[$0]
        } fused: { index, sum in
            sum.addingProduct(a[index], b[index])
        }
    }

    /// `Σ a[i]²` in faiss's order.
    @inline(__always)
    static func normSquared(_ a: UnsafePointer<Float>, count: Int) -> Float {
        reduce(count) {
            a[$0] * a[$0]
        } fused: { index, sum in
            sum.addingProduct(a[index], a[index])
        }
    }

    /// `Σ (a[i] − b[i])²` in faiss's order, each difference rounded first.
    @inline(__always)
    static func distanceSquared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        reduce(count) {
            let t = a[$0] - b[$0]
            return t * t
        } fused: { index, sum in
            let t = a[index] - b[index]
            return sum.addingProduct(t, t)
        }
    }

    @inline(__always)
    private static func reduce(
        _ count: Int, product: (Int) -> Float, fused: (Int, Float) -> Float
    ) -> Float {
        var lanes = SIMD8<Float>()
        let full = count / 8 * 8
        var index = 0
        while index < full {
            var values = SIMD8<Float>()
            for lane in 0..<8 { values[lane] = product(index + lane) }
            lanes = lanes + values  // products rounded, then added: no fusion, as faiss's loop
            index += 8
        }
        var four = SIMD4<Float>(lanes[0] + lanes[4], lanes[1] + lanes[5], lanes[2] + lanes[6], lanes[3] + lanes[7])
        if count - full >= 4 {
            for lane in 0..<4 { four[lane] = fused(full + lane, four[lane]) }
            index = full + 4
        }
        var result = (four[0] + four[2]) + (four[1] + four[3])
        while index < count {
            result = fused(index, result)
            index += 1
        }
        return result
    }
}
