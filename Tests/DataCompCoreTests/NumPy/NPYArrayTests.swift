import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct NPYArrayTests {
    @Test("Reads every dtype and shape that np.save wrote", arguments: NumPyFixtures.npyEntries)
    func readsNumPyFiles(_ entry: NumPyFixtures.NPYEntry) throws {
        // Fixtures: np.save, NumPy 2.4.6 (Scripts/fixtures/numpy_fixtures.py); values recomputed exactly.
        let array = try NPYArray(contentsOfFile: Fixtures.path("numpy/" + entry.file))
        let expected = NumPyFixtures.expectedArray(kind: entry.kind, shape: entry.shape)
        #expect(array.shape == entry.shape)
        #expect(array.dataType == expected.dataType)
        #expect(array.isMemoryMapped)
        let actualBytes = array.withUnsafeBytes { Array($0) }
        let expectedBytes = expected.withUnsafeBytes { Array($0) }
        #expect(actualBytes == expectedBytes)
    }

    @Test("Writes every dtype and shape byte-identically to np.save", arguments: NumPyFixtures.npyEntries)
    func writesLikeNumPy(_ entry: NumPyFixtures.NPYEntry) throws {
        // Reference bytes: np.save, NumPy 2.4.6; exact equality.
        let expected = try Fixtures.bytes("numpy/" + entry.file)
        let array = NumPyFixtures.expectedArray(kind: entry.kind, shape: entry.shape)
        #expect(array.encoded() == expected)
        let folder = try Fixtures.temporaryDirectory("npy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.npy").path
        try array.write(to: path)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    @Test("Reads format versions 2.0 and 3.0", arguments: ["v2", "v3"])
    func readsNewerVersions(_ version: String) throws {
        // np.lib.format.write_array(..., version=(2, 0) / (3, 0)), NumPy 2.4.6.
        let array = try NPYArray(contentsOfFile: Fixtures.path("numpy/npy/f4_2x3_\(version).npy"))
        let header = try NPYHeader(contentsOfFile: Fixtures.path("numpy/npy/f4_2x3_\(version).npy"))
        #expect(header.version.major == (version == "v2" ? 2 : 3))
        #expect(array.shape == [2, 3])
        #expect(try array.floats() == [-1, -0.75, -0.5, -0.25, 0, 0.25])
    }

    @Test("Converts float16, float32 and float64 to Float and Tensor", arguments: ["f2", "f4", "f8"])
    func convertsFloats(_ kind: String) throws {
        let array = try NPYArray(contentsOfFile: Fixtures.path("numpy/npy/\(kind)_2x3.npy"))
        let tensor = try Tensor(array)
        #expect(tensor.shape == [2, 3])
        #expect(tensor.scalars == [-1, -0.75, -0.5, -0.25, 0, 0.25])
        #expect(try array.floats() == tensor.scalars)
    }

    @Test("Refuses typed access with the wrong element type")
    func refusesWrongType() throws {
        let array = try NPYArray(contentsOfFile: Fixtures.path("numpy/npy/i4_5.npy"))
        #expect(try array.scalars(as: Int32.self) == [-2, 1, 4, 7, 10])
        for attempt in [
            { _ = try array.scalars(as: Float.self) }, { _ = try array.floats() }, { _ = try array.booleans() },
        ] {
            #expect { try attempt() } throws: { ($0 as? DataCompError)?.code == .dtypeMismatch }
        }
    }

    @Test("Reports Fortran order, big-endian and unknown dtypes clearly")
    func reportsUnsupportedLayouts() throws {
        // np.save of np.asfortranarray / astype('>f4') / complex64, NumPy 2.4.6.
        let cases: [(String, DataCompError.Code, String)] = [
            ("f4_2x3_fortran", .unsupportedFormat, "Fortran"),
            ("f4_5_bigendian", .unsupportedDataType, "big-endian"),
            ("c8_5", .unsupportedDataType, "<c8"),
        ]
        for (name, code, text) in cases {
            let path = Fixtures.path("numpy/npy/\(name).npy")
            #expect {
                _ = try NPYArray(contentsOfFile: path)
            } throws: { error in
                guard let error = error as? DataCompError else { return false }
                return error.code == code && error.message.contains(text) && error.path == path && error.position != nil
            }
        }
    }

    @Test("Parses hand-written headers robustly")
    func parsesHandWrittenHeaders() throws {
        let variants = [
            "{\"descr\": \"<f4\", \"shape\": (2,), \"fortran_order\": False}",
            "{'shape': (2L,), 'fortran_order': False, 'descr': '<f4'}",
            "{ 'descr' : '<f4' ,'fortran_order':False,'shape':( 2 , ) , }",
            "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",
        ]
        for text in variants {
            let bytes = Self.npy(header: text, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
            let array = try NPYArray(bytes: bytes)
            #expect(array.shape == [2])
            #expect(try array.floats() == [1, 2])
        }
    }

    @Test(
        "Throws a positioned error for malformed headers",
        arguments: [
            ("{'descr': '<f4', 'fortran_order': False}", DataCompError.Code.invalidFormat),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", .invalidFormat),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", .invalidFormat),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", .invalidFormat),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", .invalidFormat),
            ("{'descr': <f4, 'fortran_order': False, 'shape': (2,)}", .invalidFormat),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", .invalidFormat),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4)}", .corruptData),
            (
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                .invalidFormat
            ),
            ("{'descr': '<U3', 'fortran_order': False, 'shape': (2,)}", .unsupportedDataType),
            ("{'descr': [('a', '<u8'), ('b', '<u8')], 'fortran_order': False, 'shape': (2,)}", .unsupportedDataType),
        ])
    func rejectsMalformedHeaders(_ header: String, _ code: DataCompError.Code) {
        let bytes = Self.npy(header: header, data: [UInt8](repeating: 0, count: 8))
        #expect {
            _ = try NPYArray(bytes: bytes)
        } throws: { error in
            guard let error = error as? DataCompError, let offset = error.position?.offset,
                error.position?.member == nil
            else { return false }
            return error.code == code && offset >= 0 && offset <= bytes.count
        }
    }

    @Test("Names the offset when the data is truncated, too long, or the magic is wrong")
    func rejectsBadFraming() throws {
        let good = try Fixtures.bytes("numpy/npy/f4_2x3.npy")
        let cases: [([UInt8], DataCompError.Code, Int)] = [
            (Array(good.dropLast()), .truncatedFile, good.count - 1),
            (good + [0], .corruptData, good.count),
            ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x5A] + good.dropFirst(6), .invalidFormat, 0),
            (Array(good.prefix(9)), .truncatedFile, 8),
            (Array(good.prefix(60)), .truncatedFile, 10),
            (Array(good.prefix(6)) + [4, 0] + good.dropFirst(8), .unsupportedFormat, 6),
            ([], .truncatedFile, 0),
        ]
        for (bytes, code, offset) in cases {
            #expect {
                _ = try NPYArray(bytes: bytes)
            } throws: { error in
                guard let error = error as? DataCompError else { return false }
                return error.code == code && error.position == .offset(offset)
            }
        }
    }

    @Test("Pads long headers to format 2.0 exactly like NumPy")
    func usesVersion2ForHugeHeaders() {
        // numpy._wrap_header_guess_version switches to 2.0 when the header exceeds 65535 bytes.
        let header = NPYHeader.encoded(dataType: .uint8, shape: [Int](repeating: 1, count: 22_000))
        #expect(header[6] == 2)
        #expect(header.count % 64 == 0)
        #expect(header.last == UInt8(ascii: "\n"))
        let small = NPYHeader.encoded(dataType: .float32, shape: [3, 4])
        #expect(small.count == 128 && small[6] == 1)
    }

    /// A format 1.0 file with `header` padded to 64 bytes.
    static func npy(header: String, data: [UInt8]) -> [UInt8] {
        var text = Array(header.utf8)
        while (10 + text.count + 1) % 64 != 0 { text.append(UInt8(ascii: " ")) }
        text.append(UInt8(ascii: "\n"))
        return NPYHeader.magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
    }
}
