import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Opens `bytes` and returns the error, recording an issue when there is none or it is not a
/// ``DataCompError`` naming `bad.arrow` and a position.
private func openError(
    _ bytes: [UInt8], code: DataCompError.Code, messageContains: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> DataCompError? {
    do {
        _ = try ArrowIPCFile(bytes: bytes, path: "bad.arrow")
        Issue.record("expected an error", sourceLocation: sourceLocation)
    } catch let error as DataCompError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.path == "bad.arrow", sourceLocation: sourceLocation)
        #expect(error.position != nil, "\(error)", sourceLocation: sourceLocation)
        if let messageContains {
            #expect(error.message.contains(messageContains), "\(error)", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The little-endian bytes of `values`.
private func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

/// The only position of `pattern` in `bytes`.
private func find(_ pattern: [UInt8], in bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws
    -> Int
{
    let hits = (0...(bytes.count - pattern.count)).filter { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    try #require(hits.count == 1, "pattern found \(hits.count) times", sourceLocation: sourceLocation)
    return hits[0]
}

/// Reads every value of every column, so that a file that opens is also read through.
private func readEverything(_ file: ArrowIPCFile) -> Int {
    var count = 0
    for column in file.columns {
        for value in column where !value.isNull { count += 1 }
    }
    return count
}

@Suite struct ArrowIPCFileBadInputTests {
    /// `offsets.arrow`: text ["alpha", "βeta", "gamma"], ids [[7], [8, 9], []].
    let tiny = "arrow/offsets.arrow"

    @Test("An empty file is invalidFormat")
    func emptyFile() {
        _ = openError([], code: .invalidFormat, messageContains: "empty")
    }

    @Test("A file of another format is invalidFormat at byte offset 0")
    func wrongMagic() throws {
        var bytes = try Fixtures.bytes("arrow/primitives.arrow")
        bytes.replaceSubrange(0..<4, with: Array("PAR1".utf8))
        let error = openError(bytes, code: .invalidFormat, messageContains: "not an Arrow IPC")
        #expect(error?.position == .offset(0))
        var file = try Fixtures.bytes("arrow/primitives.arrow_file")
        file[0] = UInt8(ascii: "X")
        _ = openError(file, code: .invalidFormat, messageContains: "not an Arrow IPC")
    }

    @Test("An Arrow file whose trailing magic is gone is truncatedFile at the end")
    func wrongTrailingMagic() throws {
        var bytes = try Fixtures.bytes("arrow/primitives.arrow_file")
        bytes[bytes.count - 1] = 0
        let error = openError(bytes, code: .truncatedFile, messageContains: "ARROW1")
        #expect(error?.position == .offset(bytes.count - 6))
    }

    @Test("A footer length beyond the file is corruptData")
    func footerLength() throws {
        var bytes = try Fixtures.bytes("arrow/metadata.arrow_file")
        let n = bytes.count
        bytes.replaceSubrange((n - 10)..<(n - 6), with: littleEndian([Int32(n)]))
        _ = openError(bytes, code: .corruptData, messageContains: "footer length")
    }

    @Test(
        "Streams cut anywhere either fail with a DataCompError or read the whole batches before the cut",
        arguments: ["primitives.arrow", "nested.arrow", "hf_datasets.arrow", "primitives_legacy.arrow"])
    func truncatedStreams(name: String) throws {
        let bytes = try Fixtures.bytes("arrow/" + name)
        let whole = try ArrowIPCFile(bytes: bytes, path: "whole.arrow")
        var errors = 0
        var prefixes = 0
        for keep in stride(from: 0, to: bytes.count, by: 5) {
            do {
                let file = try ArrowIPCFile(bytes: Array(bytes[0..<keep]), path: "cut.arrow")
                // A cut between messages is a shorter stream: its batches are the first ones.
                #expect(file.batchRowCounts == Array(whole.batchRowCounts.prefix(file.batchRowCounts.count)))
                for (cut, full) in zip(file.columns, whole.columns) {
                    #expect(cut.map(pythonJSON) == full.prefix(cut.count).map(pythonJSON))
                }
                prefixes += 1
            } catch let error as DataCompError {
                #expect(error.path == "cut.arrow")
                #expect(error.position != nil, "\(error)")
                errors += 1
            }
        }
        #expect(errors > 0)
        #expect(errors + prefixes == (bytes.count + 4) / 5)
    }

    @Test(
        "Arrow files cut anywhere are DataCompErrors", arguments: ["primitives.arrow_file", "nested_zstd.arrow_file"])
    func truncatedFiles(name: String) throws {
        let bytes = try Fixtures.bytes("arrow/" + name)
        for keep in stride(from: 0, to: bytes.count, by: 3) {
            do {
                _ = try ArrowIPCFile(bytes: Array(bytes[0..<keep]), path: "cut.arrow")
                Issue.record("a file cut at \(keep) of \(bytes.count) bytes opened")
            } catch let error as DataCompError {
                #expect(error.path == "cut.arrow")
                #expect(error.position != nil, "\(error)")
            }
        }
    }

    @Test("Decreasing text offsets are corruptData")
    func decreasingOffsets() throws {
        var bytes = try Fixtures.bytes(tiny)
        let at = try find(littleEndian([Int32(0), 5, 10, 15]), in: bytes)
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int32(0), 5, 4, 15]))
        let error = openError(bytes, code: .corruptData, messageContains: "decrease")
        #expect(error?.position == .offset(at + 8))
    }

    @Test("Offsets past the data are corruptData")
    func offsetsPastTheData() throws {
        var bytes = try Fixtures.bytes(tiny)
        let at = try find(littleEndian([Int32(0), 5, 10, 15]), in: bytes)
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int32(0), 5, 10, 16]))
        _ = openError(bytes, code: .corruptData, messageContains: "last offset")
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int32(-1), 5, 10, 15]))
        _ = openError(bytes, code: .corruptData, messageContains: "first offset")
    }

    @Test("List offsets past the child values are corruptData")
    func listOffsetsPastTheChild() throws {
        var bytes = try Fixtures.bytes(tiny)
        let at = try find(littleEndian([Int32(0), 1, 3, 3]), in: bytes)
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int32(0), 1, 3, 4]))
        _ = openError(bytes, code: .corruptData, messageContains: "'ids'")
    }

    @Test("Text that is not UTF-8 is corruptData naming the value")
    func invalidUTF8() throws {
        var bytes = try Fixtures.bytes(tiny)
        // An offset inside "β" splits the character between two values.
        let at = try find(littleEndian([Int32(0), 5, 10, 15]), in: bytes)
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int32(0), 6, 10, 15]))
        _ = openError(bytes, code: .corruptData, messageContains: "value 0 of the text field 'text'")
        var byte = try Fixtures.bytes(tiny)
        let data = try find(Array("gamma".utf8), in: byte)
        byte[data] = 0xFF
        let error = openError(byte, code: .corruptData, messageContains: "value 2 of the text field 'text'")
        #expect(error?.position == .offset(data))
    }

    @Test("Field nodes that disagree with the batch or the bitmap are corruptData")
    func badNodes() throws {
        let original = try Fixtures.bytes(tiny)
        // Three FieldNodes {length 3, null_count 0}: text, ids, ids.item (whose length is 3 too).
        let at = try find(littleEndian([Int64(3), 0, 3, 0, 3, 0]), in: original)
        var bytes = original
        bytes.replaceSubrange((at + 16)..<(at + 24), with: littleEndian([Int64(2)]))
        _ = openError(bytes, code: .corruptData, messageContains: "'ids' has 2 values but the batch has 3 rows")
        bytes = original
        bytes.replaceSubrange((at + 32)..<(at + 40), with: littleEndian([Int64(2)]))
        _ = openError(bytes, code: .corruptData, messageContains: "last offset of field 'ids'")
        bytes = original
        bytes.replaceSubrange((at + 8)..<(at + 16), with: littleEndian([Int64(4)]))
        _ = openError(bytes, code: .corruptData, messageContains: "of which 4 are null")
        bytes = original
        // One null declared, but pyarrow wrote no validity bitmap.
        bytes.replaceSubrange((at + 8)..<(at + 16), with: littleEndian([Int64(1)]))
        _ = openError(bytes, code: .corruptData, messageContains: "validity bitmap")
        bytes = original
        // Lengths near Int64.max are errors, not overflows.
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int64.max, 1]))
        _ = openError(bytes, code: .corruptData, messageContains: "validity bitmap")
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int64.max, 0]))
        _ = openError(bytes, code: .corruptData, messageContains: "offsets of field 'text'")
        bytes = original
        bytes.replaceSubrange((at + 32)..<(at + 40), with: littleEndian([Int64(-1)]))
        _ = openError(bytes, code: .corruptData, messageContains: "'ids.item'")
    }

    @Test("A dictionary index outside the dictionary is corruptData naming the value")
    func dictionaryIndexOutOfRange() throws {
        let original = try Fixtures.bytes("arrow/dictionary.arrow_file")
        let file = try ArrowIPCFile(bytes: original, path: "good.arrow")
        // The uint32 indices of column `code` (dictionary [7, -1, 2**40]); 0xFF is past the end.
        let codes = try file.column(named: "code")
        #expect(codes.allSatisfy { [.null, .int(7), .int(-1), .int(1 << 40)].contains($0) })
        var found = false
        for start in 0..<(original.count - 4) where !found {
            var bytes = original
            guard bytes[start..<(start + 4)].elementsEqual(littleEndian([UInt32(2)])) else { continue }
            bytes[start] = 0xFF
            // Other 2s in the file are lengths and offsets; only an index gives this message.
            do {
                _ = try ArrowIPCFile(bytes: bytes, path: "bad.arrow")
            } catch let error as DataCompError where error.message.contains("index 255 of a 3-value dictionary") {
                #expect(error.code == .corruptData)
                #expect(error.message.contains("'code'"))
                #expect(error.position == .offset(start))
                found = true
            } catch {}
        }
        #expect(found)
    }

    @Test("A buffer outside the message body is corruptData")
    func bufferOutsideTheBody() throws {
        var bytes = try Fixtures.bytes(tiny)
        // Buffer {offset 16, length 15}: the text's data.
        let at = try find(littleEndian([Int64(16), 15]), in: bytes)
        bytes.replaceSubrange((at + 8)..<(at + 16), with: littleEndian([Int64(1000)]))
        _ = openError(bytes, code: .corruptData, messageContains: "outside the")
        bytes.replaceSubrange(at..<(at + 16), with: littleEndian([Int64.max, 15]))
        _ = openError(bytes, code: .corruptData, messageContains: "outside the")
    }

    @Test("LZ4-compressed bodies (Feather's default) are unsupportedFormat saying how to re-save")
    func lz4() throws {
        let path = Fixtures.path("arrow/lz4.feather")
        let error = #expect(throws: DataCompError.self) { try ArrowIPCFile(path: path) }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.path == path)
        #expect(error?.position != nil)
        #expect(error?.message.contains("LZ4_FRAME") == true)
        #expect(error?.message.contains("compression=\"uncompressed\"") == true)
    }

    @Test(
        "Dictionary deltas and decimal fields are unsupportedFormat naming what to change",
        arguments: [
            ("dictionary_delta.arrow", "dictionary batch 1 is a delta"),
            ("decimal.arrow", "'price' has the Arrow type decimal"),
        ])
    func unsupportedFields(name: String, message: String) throws {
        let path = Fixtures.path("arrow/" + name)
        let error = #expect(throws: DataCompError.self) { try ArrowIPCFile(path: path) }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.path == path)
        #expect(error?.position != nil)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(
        "Extreme integers written at every aligned position only ever give DataCompErrors",
        arguments: ["offsets.arrow", "dictionary.arrow_file", "zstd_stored_buffer.arrow"])
    func extremeIntegers(name: String) throws {
        let original = try Fixtures.bytes("arrow/" + name)
        let values32: [Int32] = [0, 1, -1, -8, Int32.max, Int32.min, 0x7FFF, 0x10000]
        let values64: [Int64] = [-1, Int64.max, Int64.min, 1 << 32, 1 << 62]
        var mutants: [[UInt8]] = []
        for position in stride(from: 0, to: original.count - 3, by: 4) {
            for value in values32 {
                var bytes = original
                bytes.replaceSubrange(position..<(position + 4), with: littleEndian([value]))
                mutants.append(bytes)
            }
            for value in values64 where position % 8 == 0 && position + 8 <= original.count {
                var bytes = original
                bytes.replaceSubrange(position..<(position + 8), with: littleEndian([value]))
                mutants.append(bytes)
            }
        }
        var opened = 0
        for (index, bytes) in mutants.enumerated() {
            do {
                _ = readEverything(try ArrowIPCFile(bytes: bytes, path: "mutant.arrow"))
                opened += 1
            } catch let error as DataCompError {
                #expect(error.path == "mutant.arrow" && error.position != nil, "mutant \(index): \(error)")
            }
        }
        #expect(opened < mutants.count)
    }

    @Test("Thousands of mutated files only ever throw DataCompError naming the file and a position")
    func randomizedCorruption() throws {
        let names = [
            "offsets.arrow", "primitives.arrow", "nested.arrow", "hf_datasets.arrow", "nested_zstd.arrow_file",
            "metadata.arrow_file", "primitives_legacy.arrow", "empty.arrow_file", "dictionary.arrow",
            "dictionary.arrow_file", "zstd_stored_buffer.arrow",
        ]
        let originals = try names.map { try Fixtures.bytes("arrow/" + $0) }
        var rng = SplitMix64(seed: 0xA770_C0DE)
        var failures = 0
        var opened = 0
        let iterations = Int(ProcessInfo.processInfo.environment["DATACOMP_CORRUPTION_ITERATIONS"] ?? "") ?? 3000
        for iteration in 0..<iterations {
            var bytes = originals[iteration % originals.count]
            let n = bytes.count
            switch rng.next() % 4 {
            case 0:
                for _ in 0..<(1 + rng.next() % 3) { bytes[Int(rng.next() % UInt64(n))] ^= UInt8(1 << (rng.next() % 8)) }
            case 1:
                // Hit the first kilobyte, where the schema's flatbuffer lives.
                for _ in 0..<(1 + rng.next() % 2) {
                    bytes[Int(rng.next() % UInt64(min(n, 1024)))] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 2:
                let position = Int(rng.next() % UInt64(n))
                let count = min(n - position, 1 + Int(rng.next() % 8))
                for index in position..<(position + count) {
                    bytes[index] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
                }
            default:
                bytes.removeLast(Int(rng.next() % UInt64(n)))
            }
            do {
                let file = try ArrowIPCFile(bytes: bytes, path: "mutant-\(iteration).arrow")
                _ = readEverything(file)
                opened += 1
            } catch let error as DataCompError {
                if error.path != "mutant-\(iteration).arrow" || error.position == nil {
                    failures += 1
                    if failures < 5 { Issue.record("error without path or position: \(error)") }
                }
            } catch {
                Issue.record("non-DataCompError: \(error)")
            }
        }
        #expect(failures == 0)
        // Most mutations of payload bytes leave a readable file; most of the metadata ones do not.
        #expect(opened > 0 && opened < iterations)
    }
}
