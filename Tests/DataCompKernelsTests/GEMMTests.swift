import Testing

@testable import DataCompKernels

/// A row-major matrix of doubles, for reference products computed without BLAS.
private struct Reference {
    var rows: Int
    var columns: Int
    var values: [Double]

    func transposed() -> Reference {
        var out = Reference(rows: columns, columns: rows, values: Array(repeating: 0, count: values.count))
        for r in 0..<rows { for c in 0..<columns { out.values[c * rows + r] = values[r * columns + c] } }
        return out
    }

    static func product(_ a: Reference, _ b: Reference) -> Reference {
        var out = Reference(rows: a.rows, columns: b.columns, values: Array(repeating: 0, count: a.rows * b.columns))
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var sum = 0.0
                for k in 0..<a.columns { sum += a.values[i * a.columns + k] * b.values[k * b.columns + j] }
                out.values[i * b.columns + j] = sum
            }
        }
        return out
    }
}

/// Deterministic pseudo-random values in [-1, 1).
private func values(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
    }
}

@Suite struct GEMMTests {
    @Test(
        "Products equal a double-precision reference for every transpose",
        arguments: [
            (false, false), (true, false), (false, true), (true, true),
        ])
    func matchesReference(transposeA: Bool, transposeB: Bool) {
        let (m, n, k) = (7, 5, 9)
        let a = values(m * k, seed: 1)
        let b = values(k * n, seed: 2)
        let c0 = values(m * n, seed: 3)
        // Stored operands: a is [m, k] or [k, m]; b is [k, n] or [n, k].
        var refA = Reference(rows: m, columns: k, values: a.map(Double.init))
        var refB = Reference(rows: k, columns: n, values: b.map(Double.init))
        let storedA = transposeA ? refA.transposed() : refA
        let storedB = transposeB ? refB.transposed() : refB
        refA = transposeA ? storedA.transposed() : storedA
        refB = transposeB ? storedB.transposed() : storedB
        let expected = Reference.product(refA, refB)
        var c = c0
        let aValues = storedA.values.map(Float.init)
        let bValues = storedB.values.map(Float.init)
        aValues.withUnsafeBufferPointer { pa in
            bValues.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(
                        MatrixView(pa, rows: storedA.rows, columns: storedA.columns),
                        MatrixView(pb, rows: storedB.rows, columns: storedB.columns),
                        into: MutableMatrixView(pc, rows: m, columns: n),
                        transposeA: transposeA, transposeB: transposeB, alpha: 2, beta: 0.5)
                }
            }
        }
        // Tolerance: float32 accumulation over k = 9 terms of magnitude ≤ 1.
        for i in 0..<(m * n) {
            #expect(abs(Double(c[i]) - (2 * expected.values[i] + 0.5 * Double(c0[i]))) <= 1e-5)
        }
    }

    @Test("Leading dimensions multiply sub-matrices in place")
    func leadingDimensions() {
        // a is the left 3×4 block of a 3×6 buffer; c is the right 3×2 block of a 3×5 buffer.
        let a = values(3 * 6, seed: 4)
        let b = values(4 * 2, seed: 5)
        var c = [Float](repeating: 7, count: 3 * 5)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(
                        MatrixView(pa.baseAddress!, rows: 3, columns: 4, leadingDimension: 6),
                        MatrixView(pb, rows: 4, columns: 2),
                        into: MutableMatrixView(pc.baseAddress! + 3, rows: 3, columns: 2, leadingDimension: 5))
                }
            }
        }
        for i in 0..<3 {
            for j in 0..<2 {
                var sum: Float = 0
                for k in 0..<4 { sum += a[i * 6 + k] * b[k * 2 + j] }
                #expect(abs(c[i * 5 + 3 + j] - sum) <= 1e-5)
            }
            // The columns outside the block are untouched.
            #expect(c[i * 5] == 7 && c[i * 5 + 1] == 7 && c[i * 5 + 2] == 7)
        }
    }

    @Test("Batched products equal one product per matrix, and a zero stride shares a matrix")
    func batched() {
        let count = 4
        let a = values(count * 2 * 3, seed: 6)
        let b = values(3 * 2, seed: 7)  // shared: stride 0
        var batched = [Float](repeating: 0, count: count * 4)
        var single = [Float](repeating: 0, count: count * 4)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                batched.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiplyBatched(
                        count: count, MatrixView(pa, rows: 2, columns: 3), strideA: 6,
                        MatrixView(pb, rows: 3, columns: 2),
                        strideB: 0, into: MutableMatrixView(pc, rows: 2, columns: 2), strideC: 4)
                }
                single.withUnsafeMutableBufferPointer { pc in
                    for index in 0..<count {
                        GEMM.multiply(
                            MatrixView(pa.baseAddress! + 6 * index, rows: 2, columns: 3),
                            MatrixView(pb, rows: 3, columns: 2),
                            into: MutableMatrixView(pc.baseAddress! + 4 * index, rows: 2, columns: 2))
                    }
                }
            }
        }
        #expect(batched == single)
    }

    @Test("An empty inner dimension leaves beta times c")
    func emptyInnerDimension() {
        var c: [Float] = [1, 2, 3, 4]
        let empty: [Float] = [0]
        empty.withUnsafeBufferPointer { p in
            c.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(
                    MatrixView(p.baseAddress!, rows: 2, columns: 0), MatrixView(p.baseAddress!, rows: 0, columns: 2),
                    into: MutableMatrixView(pc, rows: 2, columns: 2), beta: 0.5)
            }
        }
        #expect(c == [0.5, 1, 1.5, 2])
    }
}
