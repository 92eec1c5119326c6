import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct TarCorruptionTests {
    static func readAllOrError(_ bytes: [UInt8], at path: String) throws -> Result<Int, DataCompError> {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            return .success(try WebDatasetShardReader.readAll(path: path).count)
        } catch let error as DataCompError {
            return .failure(error)
        }
    }

    @Test("A tar cut inside a member's data is a truncatedFile error naming file, member and offset")
    func truncatedDataIsReported() throws {
        let bytes = try Fixtures.bytes("webdataset/img2dataset.tar")
        let path = try Fixtures.temporaryDirectory("tar-cut").appendingPathComponent("cut.tar").path
        // The first member's header is 512 bytes; cut 10 bytes into its data.
        let result = try Self.readAllOrError(Array(bytes[..<522]), at: path)
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .truncatedFile)
        #expect(error.path == path)
        #expect(error.position == .memberOffset("000000000000.jpg", 512))
        // A cut inside a header block.
        guard case .failure(let headerError) = try Self.readAllOrError(Array(bytes[..<100]), at: path) else {
            Issue.record("expected an error")
            return
        }
        #expect(headerError.code == .truncatedFile)
        #expect(headerError.position == .offset(0))
    }

    @Test("A damaged header checksum is a corruptData error")
    func badChecksumIsReported() throws {
        var bytes = try Fixtures.bytes("webdataset/img2dataset.tar")
        let path = try Fixtures.temporaryDirectory("tar-sum").appendingPathComponent("sum.tar").path
        bytes[10] ^= 0x01  // inside the first member's name
        guard case .failure(let error) = try Self.readAllOrError(bytes, at: path) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .corruptData)
        #expect(error.position == .offset(0))
        #expect(error.description.contains("checksum"))
    }

    @Test("An impossible member size is reported, not trusted")
    func impossibleSizeIsReported() throws {
        var bytes = try Fixtures.bytes("webdataset/pax.tar")
        let path = try Fixtures.temporaryDirectory("tar-size").appendingPathComponent("size.tar").path
        // Base-256 size of 2^63 - 1024 in the first real header (after the global and local PAX
        // headers): the data offset plus the size overflows Int.
        var offset = 0
        while bytes[offset + 156] != UInt8(ascii: "0") { offset += 1024 }
        #expect(offset > 0)
        bytes.replaceSubrange(
            (offset + 124)..<(offset + 136), with: [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC, 0])
        var sum = 0
        for i in 0..<512 { sum += (148..<156).contains(i) ? 32 : Int(bytes[offset + i]) }
        let field = Array(String(sum, radix: 8).utf8)
        bytes.replaceSubrange(
            (offset + 148)..<(offset + 155), with: [UInt8](repeating: 0x30, count: 6 - field.count) + field + [0])
        guard case .failure(let error) = try Self.readAllOrError(bytes, at: path) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .truncatedFile || error.code == .corruptData)
    }

    @Test("Thousands of mutated and truncated tars only ever throw DataCompError")
    func randomizedCorruption() throws {
        let names = ["img2dataset.tar", "gnu_long_names.tar", "pax.tar", "pax_size.tar", "edge.tar", "writer_pax.tar"]
        let originals = try names.map { try Fixtures.bytes("webdataset/" + $0) }
        let path = try Fixtures.temporaryDirectory("tar-fuzz").appendingPathComponent("fuzz.tar").path
        var random = SplitMix64(seed: 0x7A12)
        var failures = 0
        var successes = 0
        for round in 0..<2000 {
            var bytes = originals[round % originals.count]
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                bytes = Array(bytes[..<Int.random(in: 0..<bytes.count, using: &random)])
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 2:
                // Damage a header field and fix the checksum so the parser trusts the block.
                let block = Int.random(in: 0..<min(bytes.count / 512, 8), using: &random) * 512
                let field = [124, 156, 0, 345, 512 - 12].randomElement(using: &random) ?? 124
                for i in 0..<Int.random(in: 1...12, using: &random) where block + field + i < bytes.count {
                    bytes[block + field + i] =
                        [0x30, 0x37, 0x80, 0xFF, 0x00, 0x20, 0x78, 0x4C, UInt8.random(in: 0...255, using: &random)]
                        .randomElement(using: &random) ?? 0
                }
                var sum = 0
                for i in 0..<512 { sum += (148..<156).contains(i) ? 32 : Int(bytes[block + i]) }
                let digits = Array(String(sum, radix: 8).utf8)
                bytes.replaceSubrange(
                    (block + 148)..<(block + 155),
                    with: [UInt8](repeating: 0x30, count: 6 - digits.count) + digits + [0])
            default:
                // Damage PAX record text.
                if let start = bytes.firstIndex(of: UInt8(ascii: "=")) {
                    for i in 0..<Int.random(in: 1...6, using: &random) where start - 4 + i < bytes.count {
                        bytes[max(0, start - 4 + i)] =
                            [0x30, 0x39, 0x20, 0x3D, 0x0A, 0x00].randomElement(using: &random) ?? 0
                    }
                }
            }
            switch try Self.readAllOrError(bytes, at: path) {
            case .success: successes += 1
            case .failure(let error):
                failures += 1
                #expect(error.path == path)
            }
        }
        #expect(failures > 400)
        #expect(successes > 100)
    }
}
