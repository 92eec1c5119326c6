import Testing

@testable import DataCompKernels

@Suite struct VectorKernelsTests {
    @Test(
        "Sums of squares and dot products equal the scalar loop for every tail length",
        arguments: [0, 1, 15, 16, 17, 33, 100])
    func reductions(count: Int) {
        let a = (0..<count).map { Float($0 % 7) - 3 }
        let b = (0..<count).map { Float($0 % 5) * 0.5 }
        var squares: Float = 0
        var dot: Float = 0
        for i in 0..<count {
            squares += a[i] * a[i]
            dot += a[i] * b[i]
        }
        // Small integers and halves: every partial sum is exact in Float, whatever the order.
        #expect(a.withUnsafeBufferPointer { VectorKernels.sumOfSquares($0) } == squares)
        #expect(a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { VectorKernels.dot(pa, $0) } } == dot)
    }

    @Test("Rows are normalised as F.normalize: zero rows stay zero, tiny rows divide by epsilon")
    func normalizeRows() {
        var values: [Float] = [3, 4, 0, 0, 1e-14, 0]
        values.withUnsafeMutableBufferPointer { VectorKernels.normalizeRows($0, width: 2, epsilon: 1e-12) }
        #expect(values[0] == 0.6 && values[1] == 0.8)
        #expect(values[2] == 0 && values[3] == 0)
        #expect(abs(values[4] - 0.01) < 1e-6)
        var norms = [Float](repeating: 0, count: 3)
        let rows: [Float] = [3, 4, 0, 0, 6, 8]
        rows.withUnsafeBufferPointer { source in
            norms.withUnsafeMutableBufferPointer { VectorKernels.rowNorms(source, width: 2, into: $0) }
        }
        #expect(norms == [5, 0, 10])
    }

    @Test("Scaling and tiled transposes are exact", arguments: [(1, 1), (3, 70), (33, 65)])
    func scaleAndTranspose(rows: Int, columns: Int) {
        let source = (0..<(rows * columns)).map { Float($0) }
        var scaled = [Float](repeating: 0, count: source.count)
        source.withUnsafeBufferPointer { s in
            scaled.withUnsafeMutableBufferPointer { VectorKernels.scale(s, by: 0.5, into: $0) }
        }
        #expect(scaled == source.map { $0 * 0.5 })
        var transposed = [Float](repeating: 0, count: source.count)
        source.withUnsafeBufferPointer { s in
            transposed.withUnsafeMutableBufferPointer {
                VectorKernels.transpose(s, rows: rows, columns: columns, into: $0)
            }
        }
        for r in 0..<rows { for c in 0..<columns { #expect(transposed[c * rows + r] == source[r * columns + c]) } }
    }

    @Test("Adding one buffer into another is exact for every tail length", arguments: [0, 1, 16, 35])
    func add(count: Int) {
        let source = (0..<count).map { Float($0) * 0.5 }
        var destination = (0..<count).map { Float($0 % 3) }
        source.withUnsafeBufferPointer { s in
            destination.withUnsafeMutableBufferPointer { VectorKernels.add(s, into: $0) }
        }
        let expected: [Float] = (0..<count).map { index in Float(index) * 0.5 + Float(index % 3) }
        #expect(destination == expected)
    }
}
