import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct SubsetFileTests {
    private static func text(_ name: String) throws -> [SampleID] {
        try SampleID.readList(fromTextFile: Fixtures.path("numpy/" + name))
    }

    @Test("Reads subset files written by np.save and raw records alike")
    func readsNumPySubsets() throws {
        // Fixtures: np.save / ndarray.tofile of sorted u8,u8 arrays, NumPy 2.4.6.
        #expect(try SubsetFile.read(from: Fixtures.path("numpy/subset_empty.npy")).isEmpty)
        let one = try SubsetFile.read(from: Fixtures.path("numpy/subset_one.npy"))
        #expect(Array(one) == [try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150")])
        let sorted = try Self.text("subset_small_sorted.txt")
        #expect(sorted.count == 43)
        #expect(Array(try SubsetFile.read(from: Fixtures.path("numpy/subset_small.npy"))) == sorted)
        #expect(Array(try SubsetFile.read(from: Fixtures.path("numpy/subset_small.raw"))) == sorted)
    }

    @Test("The README test vector has the documented record bytes")
    func writesTestVectorRecord() throws {
        // reference §2: 77 14 a6 22 9b 4a 9e 13 50 e1 eb a8 00 c7 06 1f after a 128-byte header.
        let folder = try Fixtures.temporaryDirectory("subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("one.npy").path
        try SubsetFile.write([try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150")], to: path)
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 144)
        #expect(
            Array(bytes[128...]) == [
                0x77, 0x14, 0xa6, 0x22, 0x9b, 0x4a, 0x9e, 0x13, 0x50, 0xe1, 0xeb, 0xa8, 0x00, 0xc7, 0x06, 0x1f,
            ])
    }

    @Test(
        "Writes empty, single and duplicated subsets byte-identically to np.save", arguments: ["empty", "one", "small"])
    func writesLikeNumPy(_ name: String) throws {
        // Reference bytes: np.save of the sorted u8,u8 array (NumPy 2.4.6); exact equality.
        let ids: [SampleID]
        switch name {
        case "empty": ids = []
        case "one": ids = [try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150")]
        default: ids = try Self.text("subset_small.txt")  // unsorted, with duplicates
        }
        let folder = try Fixtures.temporaryDirectory("subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.npy").path
        try SubsetFile.write(ids, to: path)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == Fixtures.bytes("numpy/subset_\(name).npy"))
    }

    @Test("Writes 100k uids with duplicates byte-identically to np.save")
    func writesHundredThousandLikeNumPy() throws {
        // numpy.json "subset_100k": SHA-256 (hashlib) of np.save's file for the same SplitMix64 uids.
        let info = try #require(NumPyFixtures.manifest["subset_100k"] as? [String: Any])
        let seed = try #require(info["seed"] as? Int)
        let count = try #require(info["count"] as? Int)
        let ids = NumPyFixtures.uidSet(seed: UInt64(seed), count: count)
        #expect(Set(ids).count < count - 5000)  // about 10% duplicates
        let folder = try Fixtures.temporaryDirectory("subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("100k.npy").path
        try SubsetFile.write(ids, to: path)
        let digest = try SHA256.hash(fileAt: path).hexString
        #expect(digest == info["sha256"] as? String)
        let subset = try SubsetFile.read(from: path)
        #expect(subset.count == count)
    }

    @Test("Names the first out-of-order row")
    func rejectsUnsorted() throws {
        let path = Fixtures.path("numpy/subset_unsorted.npy")
        #expect {
            _ = try SubsetFile.read(from: path)
        } throws: { error in
            guard let error = error as? DataCompError else { return false }
            return error.code == .unsortedData && error.position == .row(11) && error.path == path
        }
    }

    @Test(
        "Rejects arrays that are not 1-D u8,u8 with f0/f1",
        arguments: ["subset_wrong_names", "subset_wrong_dtype", "subset_2d"])
    func rejectsWrongDtype(_ name: String) throws {
        let path = Fixtures.path("numpy/\(name).npy")
        #expect {
            _ = try SubsetFile.read(from: path)
        } throws: { error in
            guard let error = error as? DataCompError else { return false }
            return error.code == .dtypeMismatch && error.path == path
                && error.message.contains("[('f0', '<u8'), ('f1', '<u8')]")
        }
    }

    @Test("Names the offset of a truncated or corrupted subset .npy")
    func rejectsTruncatedAndCorrupted() throws {
        let folder = try Fixtures.temporaryDirectory("subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Fixtures.bytes("numpy/subset_small.npy")
        var corruptHeader = good
        corruptHeader[20] = UInt8(ascii: "@")  // inside 'descr'
        let cases: [([UInt8], DataCompError.Code, DataCompError.Position)] = [
            (Array(good.dropLast(5)), .truncatedFile, .offset(good.count - 5)),
            (Array(good.prefix(100)), .truncatedFile, .offset(10)),
            (corruptHeader, .invalidFormat, .offset(20)),
        ]
        for (index, (bytes, code, position)) in cases.enumerated() {
            let path = folder.appendingPathComponent("bad\(index).npy").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect {
                _ = try SubsetFile.read(from: path)
            } throws: { error in
                guard let error = error as? DataCompError else { return false }
                return error.code == code && error.position == position && error.path == path
            }
        }
    }

    @Test("Rejects a raw file whose length is not a multiple of 16")
    func rejectsOddRawLength() throws {
        let folder = try Fixtures.temporaryDirectory("subset")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("odd.bin").path
        try Data((try Fixtures.bytes("numpy/subset_small.raw")) + [1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SubsetFile.read(from: path)
        } throws: { error in
            guard let error = error as? DataCompError else { return false }
            return error.code == .invalidFormat && error.message.contains("691") && error.position == .offset(688)
        }
    }
}
