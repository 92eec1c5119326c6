import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Writes arrays of every dtype and several shapes as `.npy` and `.npz` files and reads them back.
///
/// When `DATACOMP_NUMPY_PARITY_DIR` is set, the files are written there so that
/// `Scripts/parity/numpy_parity.py` can check that NumPy's `np.load` reads them (it regenerates the same
/// values with the same SplitMix64 stream).
@Suite struct NumPyExportTests {
    static let shapes: [[Int]] = [[], [0], [7], [3, 5], [2, 3, 4]]
    static let kinds = ["f2", "f4", "f8", "i1", "i4", "i8", "u1", "u8", "b1", "uid"]

    /// Element values: the `index`-th shape of `kind` draws from SplitMix64(seed: 1000 * kind + index).
    static func array(kind: String, shapeIndex: Int) -> NPYArray {
        let shape = shapes[shapeIndex]
        let count = shape.reduce(1, *)
        var random = SplitMix64(seed: UInt64(1000 * (kinds.firstIndex(of: kind) ?? 0) + shapeIndex))
        let draws = (0..<count).map { _ in random.next() }
        switch kind {
        case "f2": return NPYArray(shape: shape, scalars: draws.map { Float16(Double($0 % 2001) / 100 - 10) })
        case "f4": return NPYArray(shape: shape, scalars: draws.map { Float(Double($0 % (1 << 24)) / 4096 - 2048) })
        case "f8": return NPYArray(shape: shape, scalars: draws.map { Double($0 >> 11) * 0x1p-53 })
        case "i1": return NPYArray(shape: shape, scalars: draws.map { Int8(truncatingIfNeeded: $0) })
        case "i4": return NPYArray(shape: shape, scalars: draws.map { Int32(truncatingIfNeeded: $0) })
        case "i8": return NPYArray(shape: shape, scalars: draws.map { Int64(bitPattern: $0) })
        case "u1": return NPYArray(shape: shape, scalars: draws.map { UInt8(truncatingIfNeeded: $0) })
        case "u8": return NPYArray(shape: shape, scalars: draws)
        case "b1": return NPYArray(shape: shape, booleans: draws.map { $0 & 1 == 1 })
        default:
            let ids = draws.map { SampleID(high: $0, low: ~$0) }
            return NPYArray(dataType: .sampleID, shape: shape, storage: NPYArray(sampleIDs: ids).storage)
        }
    }

    @Test("Writes every dtype as .npy and stored/deflated .npz that read back identically")
    func writesAndReadsBack() throws {
        let environment = ProcessInfo.processInfo.environment["DATACOMP_NUMPY_PARITY_DIR"]
        let folder = try environment.map { URL(fileURLWithPath: $0) } ?? Fixtures.temporaryDirectory("export")
        defer { if environment == nil { try? FileManager.default.removeItem(at: folder) } }
        var members: [(key: String, array: NPYArray)] = []
        for kind in Self.kinds {
            for index in Self.shapes.indices {
                let array = Self.array(kind: kind, shapeIndex: index)
                let path = folder.appendingPathComponent("\(kind)_\(index).npy").path
                try array.write(to: path)
                #expect(try NPYArray(contentsOfFile: path).encoded() == array.encoded())
                members.append(("\(kind)_\(index)", array))
            }
        }
        for (name, compression) in [("stored.npz", NPZArchive.Compression.stored), ("deflated.npz", .deflated)] {
            let path = folder.appendingPathComponent(name).path
            try NPZArchive.write(members, to: path, compression: compression)
            let archive = try NPZArchive(contentsOfFile: path)
            #expect(archive.keys == members.map(\.key))
            for (key, array) in members {
                #expect(try archive.array(named: key).encoded() == array.encoded())
            }
        }
    }
}
