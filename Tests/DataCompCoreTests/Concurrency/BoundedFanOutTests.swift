import Foundation
import Synchronization
import Testing

@testable import DataCompCore

@Suite struct BoundedFanOutTests {
    @Test("The blocking fan-outs run every index once and return results in index order", arguments: [1, 2, 3, 8])
    func blocking(width: Int) throws {
        let counts = Mutex([Int](repeating: 0, count: 37))
        BoundedFanOut.forEachBlocking(37, width: width) { index in counts.withLock { $0[index] += 1 } }
        #expect(counts.withLock { $0 } == [Int](repeating: 1, count: 37))
        let squares = try BoundedFanOut.mapBlocking(37, width: width, makeState: {}) { index, _ in index * index }
        #expect(squares == (0..<37).map { $0 * $0 })
    }

    @Test("A width of one runs the items in order on the calling thread")
    func serial() {
        let order = Mutex([Int]())
        let caller = pthread_self()
        BoundedFanOut.forEachBlocking(5, width: 1) { index in
            #expect(pthread_equal(pthread_self(), caller) != 0)
            order.withLock { $0.append(index) }
        }
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
    }

    @Test("Contiguous parts cover 0..<count in order, nearly equal, none empty")
    func contiguousParts() {
        #expect(BoundedFanOut.contiguousParts(10, 3) == [0..<3, 3..<6, 6..<10])
        #expect(BoundedFanOut.contiguousParts(2, 8) == [0..<1, 1..<2])
        #expect(BoundedFanOut.contiguousParts(5, 0) == [0..<5])
        #expect(BoundedFanOut.contiguousParts(0, 2).isEmpty)
    }
}
