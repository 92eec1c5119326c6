import DataCompCore
import Foundation
import _DataCompTestSupport

/// The manifest `Scripts/fixtures/numpy_fixtures.py` writes next to the NumPy fixtures
/// (NumPy 2.4.6 in refenv).
enum NumPyFixtures {
    static var manifest: [String: Any] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("numpy/numpy.json")))) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    struct NPYEntry: Sendable, CustomStringConvertible {
        var file: String
        var kind: String
        var shape: [Int]
        var sha256: String
        var description: String { file }
    }

    static let npyEntries: [NPYEntry] = {
        let list = manifest["npy"] as? [[String: Any]] ?? []
        return list.map {
            NPYEntry(
                file: $0["file"] as? String ?? "", kind: $0["kind"] as? String ?? "",
                shape: $0["shape"] as? [Int] ?? [], sha256: $0["sha256"] as? String ?? "")
        }
    }()

    /// The element values of `kind` as the fixture script computes them (`values()` there).
    static func expectedArray(kind: String, shape: [Int]) -> NPYArray {
        let count = shape.reduce(1, *)
        let v = (0..<count).map { Int64($0) }
        switch kind {
        case "f2": return NPYArray(shape: shape, scalars: v.map { Float16(Double($0) * 0.25 - 1) })
        case "f4": return NPYArray(shape: shape, scalars: v.map { Float(Double($0) * 0.25 - 1) })
        case "f8": return NPYArray(shape: shape, scalars: v.map { Double($0) * 0.25 - 1 })
        case "i1": return NPYArray(shape: shape, scalars: v.map { Int8($0 * 3 - 2) })
        case "i4": return NPYArray(shape: shape, scalars: v.map { Int32($0 * 3 - 2) })
        case "i8": return NPYArray(shape: shape, scalars: v.map { $0 * 3 - 2 })
        case "u1": return NPYArray(shape: shape, scalars: v.map { UInt8($0 * 7) })
        case "u8": return NPYArray(shape: shape, scalars: v.map { UInt64($0 * 7) })
        case "b1": return NPYArray(shape: shape, booleans: v.map { $0 % 3 == 0 })
        default:
            let ids = v.map { SampleID(high: UInt64($0) &* 0x0101_0101_0101_0101, low: UInt64($0) + 0xF0) }
            let flat = NPYArray(sampleIDs: ids)
            return NPYArray(dataType: .sampleID, shape: shape, storage: flat.storage)
        }
    }

    /// The uid generator of `uid_set()` in the fixture script.
    static func uidSet(seed: UInt64, count: Int) -> [SampleID] {
        var random = SplitMix64(seed: seed)
        var result: [SampleID] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            if index > 0 && random.next() & 0xFF < 26, let last = result.last {
                result.append(last)
            } else {
                let high = random.next()
                result.append(SampleID(high: high, low: random.next()))
            }
        }
        return result
    }
}
