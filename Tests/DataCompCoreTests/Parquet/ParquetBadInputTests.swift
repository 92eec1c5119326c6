import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

private func expectError(
    _ bytes: [UInt8], code: DataCompError.Code, offset: Int? = nil, messageContains: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        _ = try ParquetFile(bytes: bytes, path: "bad.parquet").read()
        Issue.record("expected an error", sourceLocation: sourceLocation)
    } catch let error as DataCompError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.path == "bad.parquet", sourceLocation: sourceLocation)
        if let offset { #expect(error.position == .offset(offset), "\(error)", sourceLocation: sourceLocation) }
        if let messageContains {
            #expect(error.message.contains(messageContains), "\(error)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    }
}

/// Reads a Thrift compact varint at `offset`; returns its value and length.
private func varint(_ bytes: [UInt8], at offset: Int) -> (UInt64, Int) {
    var value: UInt64 = 0
    var i = 0
    while true {
        value |= UInt64(bytes[offset + i] & 0x7F) << UInt64(7 * i)
        if bytes[offset + i] & 0x80 == 0 { return (value, i + 1) }
        i += 1
    }
}

@Suite struct ParquetBadInputTests {
    let fixture = "parquet/enc_none_v1_nullable.parquet"

    @Test("A wrong leading magic is invalidFormat at byte offset 0")
    func wrongLeadingMagic() throws {
        var bytes = try Fixtures.bytes(fixture)
        bytes[0] = UInt8(ascii: "X")
        expectError(bytes, code: .invalidFormat, offset: 0, messageContains: "PAR1")
    }

    @Test("A wrong trailing magic is reported at the end of the file")
    func wrongTrailingMagic() throws {
        var bytes = try Fixtures.bytes(fixture)
        bytes[bytes.count - 1] = 0
        expectError(bytes, code: .truncatedFile, offset: bytes.count - 4, messageContains: "PAR1")
    }

    @Test("Truncated files are truncatedFile errors", arguments: [0, 5, 11, 100, 2000])
    func truncatedFile(keep: Int) throws {
        let bytes = try Fixtures.bytes(fixture)
        expectError(Array(bytes[0..<keep]), code: .truncatedFile)
    }

    @Test("A footer length beyond the file is a truncated footer")
    func footerLengthTooLarge() throws {
        var bytes = try Fixtures.bytes(fixture)
        let n = bytes.count
        bytes.replaceSubrange((n - 8)..<(n - 4), with: [0xFF, 0xFF, 0x00, 0x00])
        expectError(bytes, code: .truncatedFile, offset: n - 8, messageContains: "footer length")
    }

    @Test("A file cut inside the footer (magic restored) is an error naming the footer")
    func truncatedFooter() throws {
        let bytes = try Fixtures.bytes(fixture)
        let n = bytes.count
        let footerLength = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16
        let footerStart = n - 8 - footerLength
        // Keep the first half of the footer, then a footer length and magic that claim it all.
        var cut = Array(bytes[0..<(footerStart + footerLength / 2)])
        let claimed = UInt32(footerLength / 2)
        cut += withUnsafeBytes(of: claimed.littleEndian) { Array($0) } + Array("PAR1".utf8)
        do {
            _ = try ParquetFile(bytes: cut, path: "bad.parquet")
            Issue.record("expected an error")
        } catch let error as DataCompError {
            #expect(error.path == "bad.parquet")
            #expect(error.message.contains("footer"))
            if let offset = error.position?.offset {
                #expect(offset >= footerStart)
            } else {
                Issue.record("no byte offset in \(error)")
            }
        }
    }

    @Test("Corrupted Thrift in the footer is an error with the byte offset")
    func corruptedThrift() throws {
        var bytes = try Fixtures.bytes(fixture)
        let n = bytes.count
        let footerLength = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16
        let footerStart = n - 8 - footerLength
        // An unknown wire type (0x0E) where the first field header is expected.
        bytes[footerStart] = 0x1E
        expectError(bytes, code: .corruptData, offset: footerStart + 1, messageContains: "wire type")
    }

    @Test("An impossible page size is corruptData at the page offset")
    func impossiblePageSize() throws {
        var bytes = try Fixtures.bytes(fixture)
        // The first page header starts at byte 4: field 1 (type), 2 (uncompressed), 3 (compressed).
        var offset = 4
        #expect(bytes[offset] == 0x15)
        offset += 1 + varint(bytes, at: offset + 1).1
        #expect(bytes[offset] == 0x15)
        offset += 1 + varint(bytes, at: offset + 1).1
        #expect(bytes[offset] == 0x15)
        let length = varint(bytes, at: offset + 1).1
        // Zigzag 1 is -1; pad the varint to keep its length.
        var replacement: [UInt8] = Array(repeating: 0x80, count: length)
        replacement[0] = 0x81
        replacement[length - 1] = length == 1 ? 0x01 : 0x00
        bytes.replaceSubrange((offset + 1)..<(offset + 1 + length), with: replacement)
        expectError(bytes, code: .corruptData, offset: 4, messageContains: "impossible page size")
    }

    @Test("An unsupported codec (LZO, which pyarrow does not read either) names the codec and the fix")
    func unknownCodec() throws {
        // Written by Scripts/fixtures/parquet_gaps_fixtures.py; pyarrow 26.0.1 raises on it too.
        let bytes = try Fixtures.bytes("parquet-gaps/lzo.parquet")
        expectError(bytes, code: .unsupportedFormat, messageContains: "LZO")
    }

    @Test("A missing file is fileNotFound")
    func missingFile() {
        #expect(throws: DataCompError.self) { try ParquetFile(path: "/nonexistent/x.parquet") }
    }

    @Test("Thousands of mutated files only ever throw DataCompError")
    func randomizedCorruption() throws {
        let names = [
            "nested_v1", "nested_v2", "enc_none_v2_nullable", "enc_snappy_v1_nullable", "int96",
            "datacomp_nulls_zstd_v2",
        ]
        let originals = try names.map { try Fixtures.bytes("parquet/\($0).parquet") }
        var rng = SplitMix64(seed: 0xDA7A_C0DE)
        var failures = 0
        var succeeded = 0
        let iterations = Int(ProcessInfo.processInfo.environment["DATACOMP_CORRUPTION_ITERATIONS"] ?? "") ?? 3000
        for iteration in 0..<iterations {
            var bytes = originals[iteration % originals.count]
            let n = bytes.count
            switch rng.next() % 4 {
            case 0:
                for _ in 0..<(1 + rng.next() % 3) { bytes[Int(rng.next() % UInt64(n))] ^= UInt8(1 << (rng.next() % 8)) }
            case 1:
                // Hit the footer, where the Thrift metadata lives.
                let footer = min(n, 2000)
                for _ in 0..<(1 + rng.next() % 2) {
                    bytes[n - 1 - Int(rng.next() % UInt64(footer))] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 2:
                bytes.removeLast(Int(rng.next() % UInt64(n)))
            default:
                let position = Int(rng.next() % UInt64(n))
                bytes[position] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
            }
            do {
                let file = try ParquetFile(bytes: bytes, path: "mutant-\(iteration).parquet")
                let table = try file.read()
                for row in 0..<min(table.rowCount, 5) { _ = table.jsonRow(row) }
                succeeded += 1
            } catch let error as DataCompError {
                if error.path != "mutant-\(iteration).parquet" || error.position == nil {
                    failures += 1
                    if failures < 5 { Issue.record("error without path or position: \(error)") }
                }
            } catch {
                Issue.record("non-DataCompError: \(error)")
            }
        }
        #expect(failures == 0)
        // Most mutations must be detected; some (in values) legitimately decode to other data.
        #expect(succeeded < iterations)
    }
}
