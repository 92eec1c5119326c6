import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct NumPyCorruptionTests {
    private static let npyFixtures = [
        "numpy/npy/f2_2x3.npy", "numpy/npy/f4_5.npy", "numpy/npy/uid_5.npy", "numpy/npy/b1_1x1x1.npy",
        "numpy/npy/f8_scalar.npy", "numpy/npy/f4_2x3_v3.npy",
    ]
    private static let npzFixtures = ["numpy/compressed.npz", "numpy/zip64_end.npz", "numpy/features.npz"]
    private static let subsetFixtures = ["numpy/subset_small.npy", "numpy/subset_small.raw", "numpy/subset_one.npy"]

    /// Truncates, flips bytes, or overwrites a byte with a value that is special in these formats.
    private static func mutate(_ original: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = original
        switch random.next() % 4 {
        case 0:
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
        case 1:
            for _ in 0..<(1 + random.next() % 4) where !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
        case 2:
            // Hit the headers (first 160 bytes / last 200 bytes) where the structure lives.
            let special: [UInt8] = [
                0x00, 0xFF, 0x7F, 0x80, UInt8(ascii: "("), UInt8(ascii: "'"), UInt8(ascii: "9"), 0x50, 0x4B,
            ]
            let nearEnd = random.next() % 2 == 0
            let window = min(bytes.count, nearEnd ? 200 : 160)
            if window > 0 {
                let index =
                    nearEnd
                    ? bytes.count - 1 - Int(random.next() % UInt64(window)) : Int(random.next() % UInt64(window))
                bytes[index] = special[Int(random.next() % UInt64(special.count))]
            }
        default:
            let insertAt = Int(random.next() % UInt64(bytes.count + 1))
            bytes.insert(
                contentsOf: [UInt8](
                    repeating: UInt8(truncatingIfNeeded: random.next()), count: Int(1 + random.next() % 3)),
                at: insertAt)
        }
        return bytes
    }

    /// Runs `body` and records whether it threw a DataCompError; any other error fails the test.
    private static func expectOnlyDataCompErrors(_ label: String, _ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch is DataCompError {
            return true
        } catch {
            Issue.record("\(label): unexpected error type \(type(of: error)): \(error)")
            return true
        }
    }

    @Test("Mutated NPY files only ever throw DataCompError")
    func mutatedNPY() throws {
        var random = SplitMix64(seed: 0x5EED_0001)
        let originals = try Self.npyFixtures.map { try Fixtures.bytes($0) }
        var failures = 0
        for iteration in 0..<5000 {
            let bytes = Self.mutate(originals[iteration % originals.count], &random)
            if Self.expectOnlyDataCompErrors(
                "npy #\(iteration)",
                {
                    let array = try NPYArray(bytes: bytes)
                    _ = array.encoded()
                    if [.float16, .float32, .float64].contains(array.dataType) { _ = try Tensor(array) }
                })
            {
                failures += 1
            }
        }
        #expect(failures > 1500)  // most mutations must be detected
    }

    @Test("Mutated NPZ archives only ever throw DataCompError")
    func mutatedNPZ() throws {
        var random = SplitMix64(seed: 0x5EED_0002)
        let originals = try Self.npzFixtures.map { try Fixtures.bytes($0) }
        var failures = 0
        for iteration in 0..<5000 {
            let bytes = Self.mutate(originals[iteration % originals.count], &random)
            if Self.expectOnlyDataCompErrors(
                "npz #\(iteration)",
                {
                    let archive = try NPZArchive(bytes: bytes)
                    for key in archive.keys {
                        let array = try archive.array(named: key)
                        // Convert small arrays fully; for big ones touch the last byte (bounds are what matter).
                        if [.float16, .float32, .float64].contains(array.dataType) && array.count <= 1000 {
                            _ = try array.floats()
                        } else {
                            _ = array.withUnsafeBytes { $0.last }
                        }
                    }
                })
            {
                failures += 1
            }
        }
        #expect(failures > 1500)
    }

    @Test("Mutated subset files only ever throw DataCompError")
    func mutatedSubsets() throws {
        var random = SplitMix64(seed: 0x5EED_0003)
        let originals = try Self.subsetFixtures.map { try Fixtures.bytes($0) }
        var failures = 0
        for iteration in 0..<5000 {
            let bytes = Self.mutate(originals[iteration % originals.count], &random)
            if Self.expectOnlyDataCompErrors(
                "subset #\(iteration)",
                {
                    let subset = try bytes.withUnsafeBytes { try SubsetFile.parse(RawStorage(copying: $0)) }
                    if let first = subset.first { _ = subset.count(of: first) }
                })
            {
                failures += 1
            }
        }
        #expect(failures > 1500)
    }
}
