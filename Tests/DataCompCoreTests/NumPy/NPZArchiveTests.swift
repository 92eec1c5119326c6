import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct NPZArchiveTests {
    private static func members(_ archive: String) -> [String: [String: Any]] {
        (NumPyFixtures.manifest["npz"] as? [String: Any])?[archive] as? [String: [String: Any]] ?? [:]
    }

    @Test("Reads a DataComp-style feature archive written by np.savez without copying")
    func readsFeatureArchive() throws {
        // features.npz: np.savez (NumPy 2.4.6) of float16 (6, 512/768) CLIP features and float32
        // (6, 256) dedup descriptors. Sums computed by NumPy in float64; tolerance 1e-3.
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("numpy/features.npz"))
        #expect(archive.keys == ["b32_img", "b32_txt", "l14_img", "l14_txt", "dedup"])
        let expected = Self.members("features.npz")
        #expect(expected.count == 5)
        for member in archive.members {
            #expect(!member.isCompressed)
            let array = try archive.array(named: member.key)
            let info = try #require(expected[member.key])
            #expect(array.isMemoryMapped)
            #expect(array.shape == info["shape"] as? [Int])
            #expect(array.dataType.descr == "'\(info["descr"] as? String ?? "")'")
            #expect(SHA256.hash(array.encoded()).hexString == info["npy_sha256"] as? String)
            let sum = try array.floats().reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - (info["sum"] as? Double ?? .nan)) < 1e-3)
        }
        let l14 = try Tensor(archive.array(named: "l14_img.npy"))
        #expect(l14.shape == [6, 768])
        // Rows are L2-normalized before the float16 cast (fixture script), so norms are ~1.
        let row = (0..<768).map { l14[0, $0] }
        #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-2)
    }

    @Test("Reads deflated members and ZIP64 end records", arguments: ["compressed.npz", "zip64_end.npz"])
    func readsDeflatedAndZip64(_ name: String) throws {
        // np.savez_compressed, and np.savez with zipfile.ZIP_FILECOUNT_LIMIT = 0 (ZIP64 end record).
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("numpy/" + name))
        #expect(archive.keys == ["x", "ids", "flags"])
        #expect(archive.members.allSatisfy { $0.isCompressed == (name == "compressed.npz") })
        let x = try archive.array(named: "x")
        #expect(x.shape == [2, 3])
        #expect(try x.floats() == [-1, -0.75, -0.5, -0.25, 0, 0.25])
        #expect(try archive.array(named: "flags").booleans() == [true, false, false, true, false])
        let ids = try archive.array(named: "ids").sampleIDs()
        #expect(ids == (0..<4).map { SampleID(high: UInt64($0) &* 0x0101_0101_0101_0101, low: UInt64($0) + 0xF0) })
        for (key, info) in Self.members(name) {
            #expect(SHA256.hash(try archive.array(named: key).encoded()).hexString == info["npy_sha256"] as? String)
        }
    }

    @Test("Round-trips stored and deflated archives", arguments: [NPZArchive.Compression.stored, .deflated])
    func roundTrips(_ compression: NPZArchive.Compression) throws {
        let folder = try Fixtures.temporaryDirectory("npz")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.npz").path
        var random = SplitMix64(seed: 11)
        let floats = (0..<3000).map { _ in Float16(Float(random.next() % 1000) / 1000) }
        let arrays: [(key: String, array: NPYArray)] = [
            ("b32_img", NPYArray(shape: [3, 1000], scalars: floats)),
            ("empty", NPYArray(shape: [0], scalars: [Float]())),
            ("scalar", NPYArray(shape: [], scalars: [Int64(-5)])),
        ]
        try NPZArchive.write(arrays, to: path, compression: compression)
        let archive = try NPZArchive(contentsOfFile: path)
        #expect(archive.keys == ["b32_img", "empty", "scalar"])
        #expect(archive.members.allSatisfy { $0.isCompressed == (compression == .deflated) })
        for (key, array) in arrays {
            #expect(try archive.array(named: key).encoded() == array.encoded())
        }
        // The member's data starts at an odd offset (30 + 11 + 128), so this takes the copying path
        // of withUnsafeBufferPointer(as:) for stored archives.
        #expect(try archive.array(named: "b32_img").scalars(as: Float16.self) == floats)
        #expect(throws: DataCompError.self) {
            try NPZArchive.write([("a", arrays[1].array), ("a", arrays[1].array)], to: path)
        }
    }

    @Test(
        "Rewrites NumPy's archives byte for byte",
        arguments: [("features.npz", NPZArchive.Compression.stored), ("compressed.npz", .deflated)])
    func rewritesLikeNumPy(_ name: String, _ compression: NPZArchive.Compression) throws {
        // Reference bytes: np.savez / np.savez_compressed (NumPy 2.4.6, Python 3.11 zipfile, zlib
        // default level); exact equality.
        let original = try NPZArchive(contentsOfFile: Fixtures.path("numpy/" + name))
        let arrays = try original.keys.map { (key: $0, array: try original.array(named: $0)) }
        let folder = try Fixtures.temporaryDirectory("npz")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        try NPZArchive.write(arrays, to: path, compression: compression)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == Fixtures.bytes("numpy/" + name))
    }

    @Test("Detects a CRC-32 mismatch in a deflated member")
    func detectsBadCRC() throws {
        var bytes = try Fixtures.bytes("numpy/compressed.npz")
        // The CRC field of the first central-directory entry sits 16 bytes after its signature.
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let start = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == signature })
        bytes[start + 16] ^= 0xFF
        let archive = try NPZArchive(bytes: bytes)
        #expect {
            _ = try archive.array(named: "x")
        } throws: { error in
            guard let error = error as? DataCompError else { return false }
            return error.code == .corruptData && error.message.contains("CRC-32") && error.position == .member("x.npy")
        }
    }

    @Test("Names the available keys when a key is missing")
    func namesAvailableKeys() throws {
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("numpy/compressed.npz"))
        #expect {
            _ = try archive.array(named: "nope")
        } throws: { error in
            (error as? DataCompError)?.message.contains("x, ids, flags") == true
        }
    }

    @Test("Rejects files that are not ZIP archives")
    func rejectsNonZip() throws {
        for bytes in [[UInt8](), try Fixtures.bytes("numpy/npy/f4_5.npy")] {
            #expect { _ = try NPZArchive(bytes: bytes) } throws: { ($0 as? DataCompError)?.code == .invalidFormat }
        }
    }
}
