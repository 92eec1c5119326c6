import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// The fixtures of `Scripts/fixtures/arrow_fixtures.py` (pyarrow 26.0.1, datasets 5.2.0): each
/// fixture file and the name of its expected rows and schema.
private let manifest: [(file: String, expected: String)] = {
    let url = Fixtures.resources.appendingPathComponent("arrow/manifest.json")
    guard let data = try? Data(contentsOf: url),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
    else { return [] }
    return object.keys.sorted().map { ($0, object[$0] ?? "") }
}()

private func expectedLines(_ name: String) throws -> [String] {
    let text = try String(contentsOfFile: Fixtures.path("arrow/\(name).jsonl"), encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

private func expectedSchema(_ name: String) throws -> JSONValue {
    try JSONValue(parsing: try String(contentsOfFile: Fixtures.path("arrow/\(name).schema.json"), encoding: .utf8))
}

/// A value as the generator writes it: `json.dumps` of pyarrow's `to_pylist()`, bytes as hex.
func pythonJSON(_ value: ArrowValue) -> JSONValue {
    switch value {
    case .null: return .null
    case .bool(let value): return .bool(value)
    case .int(let value): return .int(Int(value))
    case .uint(let value): return value <= UInt64(Int.max) ? .int(Int(value)) : .uint(value)
    case .double(let value): return .double(value)
    case .string(let value): return .string(value)
    case .binary(let bytes): return .string(bytes.map { String(format: "%02x", $0) }.joined())
    case .list(let values): return .array(values.map(pythonJSON))
    case .struct(let fields): return .object(fields.map { ($0.name, pythonJSON($0.value)) })
    }
}

/// A type as pyarrow's `str(type)` prints it.
func pyarrowName(_ type: ArrowDataType) -> String {
    func unit(_ unit: ArrowTimeUnit) -> String {
        switch unit {
        case .seconds: "s"
        case .milliseconds: "ms"
        case .microseconds: "us"
        case .nanoseconds: "ns"
        }
    }
    func child(_ field: ArrowField) -> String {
        "\(field.name): \(pyarrowName(field.type))\(field.isNullable ? "" : " not null")"
    }
    switch type {
    case .null: return "null"
    case .bool: return "bool"
    case .int8: return "int8"
    case .int16: return "int16"
    case .int32: return "int32"
    case .int64: return "int64"
    case .uint8: return "uint8"
    case .uint16: return "uint16"
    case .uint32: return "uint32"
    case .uint64: return "uint64"
    case .float16: return "halffloat"
    case .float32: return "float"
    case .float64: return "double"
    case .utf8: return "string"
    case .largeUTF8: return "large_string"
    case .binary: return "binary"
    case .largeBinary: return "large_binary"
    case .fixedSizeBinary(let width): return "fixed_size_binary[\(width)]"
    case .date32: return "date32[day]"
    case .date64: return "date64[ms]"
    case .time32(let u): return "time32[\(unit(u))]"
    case .time64(let u): return "time64[\(unit(u))]"
    case .timestamp(let u, let zone): return "timestamp[\(unit(u))\(zone.map { ", tz=\($0)" } ?? "")]"
    case .duration(let u): return "duration[\(unit(u))]"
    case .list(let field): return "list<\(child(field))>"
    case .largeList(let field): return "large_list<\(child(field))>"
    case .fixedSizeList(let field, let size): return "fixed_size_list<\(child(field))>[\(size)]"
    case .struct(let fields): return "struct<\(fields.map(child).joined(separator: ", "))>"
    }
}

private func metadataJSON(_ metadata: [String: String]) -> JSONValue {
    .object(metadata.keys.sorted().map { ($0, .string(metadata[$0] ?? "")) })
}

@Suite struct ArrowIPCFileTests {
    @Test("The fixture manifest lists every stream, file and Feather fixture")
    func manifestIsComplete() {
        #expect(manifest.count == 19)
        #expect(Set(manifest.map(\.expected)).count == 11)
    }

    @Test("Every value of every fixture equals pyarrow's to_pylist()", arguments: manifest.map(\.file))
    func valuesEqualPyarrow(name: String) throws {
        let expectedName = try #require(manifest.first { $0.file == name }?.expected)
        let expected = try expectedLines(expectedName)
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/" + name))
        #expect(file.rowCount == expected.count)
        #expect(file.batchRowCounts.reduce(0, +) == file.rowCount)
        for column in file.columns { #expect(column.count == file.rowCount) }
        var mismatches = 0
        for row in 0..<min(file.rowCount, expected.count) {
            let line = JSONValue.object(file.columns.map { ($0.field.name, pythonJSON($0[row])) }).serialized()
            if line != expected[row] {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(name) row \(row):\n ours: \(line)\n want: \(expected[row])") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("The schema, field metadata and schema metadata equal pyarrow's", arguments: manifest.map(\.file))
    func schemaEqualsPyarrow(name: String) throws {
        let expectedName = try #require(manifest.first { $0.file == name }?.expected)
        let expected = try expectedSchema(expectedName)
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/" + name))
        let fields = try #require(expected["fields"]?.arrayValue)
        #expect(file.columnNames == fields.compactMap { $0["name"]?.stringValue })
        #expect(file.schema.fields.count == fields.count)
        for (field, want) in zip(file.schema.fields, fields) {
            // A dictionary-encoded field reads as its values' type.
            let type = (want["type"]?.stringValue ?? "").replacing(
                #/dictionary<values=([^,]+), indices=\w+, ordered=\d>/#, with: { String($0.output.1) })
            #expect(pyarrowName(field.type) == type, "field \(field.name)")
            #expect(field.isNullable == want["nullable"]?.boolValue, "field \(field.name)")
            #expect(metadataJSON(field.metadata) == want["metadata"], "field \(field.name)")
        }
        #expect(metadataJSON(file.schema.metadata) == expected["metadata"])
        #expect(file.rowCount == expected["rows"]?.intValue)
    }

    @Test("The format is detected from the magic")
    func formats() throws {
        #expect(try ArrowIPCFile(path: Fixtures.path("arrow/primitives.arrow")).format == .stream)
        #expect(try ArrowIPCFile(path: Fixtures.path("arrow/primitives.arrow_file")).format == .file)
        #expect(try ArrowIPCFile(path: Fixtures.path("arrow/nested.feather")).format == .file)
        #expect(try ArrowIPCFile(path: Fixtures.path("arrow/primitives_legacy.arrow")).format == .stream)
    }

    @Test("Record batches, empty ones included, read as one table")
    func batches() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/primitives.arrow"))
        #expect(file.batchRowCounts == [10, 0, 13, 1])
        let many = try ArrowIPCFile(path: Fixtures.path("arrow/many.arrow"))
        #expect(many.batchRowCounts == [300, 300, 0, 99, 1])
        let ids = try many.column(named: "id")
        // Rows on both sides of each batch boundary, and the last row.
        for row in [0, 299, 300, 599, 600, 698, 699] {
            #expect(ids[row].isNull || ids[row] == .int(Int64(row)), "row \(row)")
        }
        #expect(ids.nullCount == (0..<ids.count).filter { ids.isNull(at: $0) }.count)
        #expect(ids.nullCount > 0)
        let empty = try ArrowIPCFile(path: Fixtures.path("arrow/empty_batches.arrow"))
        #expect(empty.batchRowCounts == [0, 0])
        #expect(empty.columns.map(\.count) == [0, 0, 0])
    }

    @Test("A file written by Hugging Face datasets reads as Image() structs, caption lists and image lists")
    func huggingFaceDatasetsFile() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/hf_datasets.arrow"))
        #expect(file.columnNames == ["image", "caption", "candidate_images"])
        let image = ArrowField(
            name: "image",
            type: .struct([ArrowField(name: "bytes", type: .binary), ArrowField(name: "path", type: .utf8)]))
        #expect(file.schema.fields[0] == image)
        #expect(file.schema.fields[1].type == .list(ArrowField(name: "item", type: .utf8)))
        #expect(file.schema.fields[2].type == .list(ArrowField(name: "item", type: image.type)))
        // datasets' features, as JSON under the `huggingface` key.
        let info = try JSONValue(parsing: try #require(file.schema.metadata["huggingface"]))
        #expect(info["info"]?["features"]?["image"]?["_type"]?.stringValue == "Image")
        #expect(file.batchRowCounts == [3, 3, 1])

        let images = try file.column(named: "image")
        let captions = try file.column(named: "caption")
        let candidates = try file.column(named: "candidate_images")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for row in 0..<file.rowCount {
            if row % 2 == 0 {
                let bytes = try #require(images[row][field: "bytes"]?.bytesValue)
                #expect(Array(bytes.prefix(8)) == png)
                #expect(bytes.count > 50 && bytes.count < 500)
                #expect(images[row][field: "path"] == .null)
            } else {
                #expect(images[row][field: "bytes"] == .null)
                #expect(images[row][field: "path"]?.stringValue == "flickr30k/images/\(row).jpg")
            }
            let texts = try #require(captions[row].arrayValue)
            #expect(texts.count == row % 3)
            #expect(texts.allSatisfy { $0.stringValue?.hasPrefix("a photo of ") == true })
            #expect(candidates[row].arrayValue?.count == row % 3)
        }
        #expect(candidates[2].arrayValue?[1][field: "path"]?.stringValue == "winogavil/2.jpg")
    }

    @Test("Schema and field metadata are read, and non-nullable fields say so")
    func metadata() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/metadata.arrow_file"))
        #expect(file.schema.metadata["unicode"] == "Zürich 東京 🙂")
        #expect(file.schema.metadata["empty"] == "")
        #expect(file.schema.metadata["json"] == #"{"a": [1, 2.5, null]}"#)
        #expect(file.schema.fields[0].metadata == ["description": "sample id", "unit": "none"])
        #expect(file.schema.fields[1].isNullable == false)
        #expect(file.schema.fields[2].children == [ArrowField(name: "id", type: .int32, isNullable: false)])
    }

    @Test("Dictionary-encoded fields read as their values, with the dictionary in force for each batch")
    func dictionaries() throws {
        let file = try ArrowIPCFile(path: Fixtures.path("arrow/dictionary.arrow"))
        #expect(file.batchRowCounts == [9, 6])
        #expect(
            file.schema.fields.map(\.type) == [
                .utf8, .int64, .list(ArrowField(name: "item", type: .utf8)),
                .struct([ArrowField(name: "word", type: .utf8), ArrowField(name: "n", type: .int32)]),
            ])
        let labels = try file.column(named: "label")
        // The second batch's dictionary replaces the first's: its words appear only after row 9.
        let words = Set(labels.compactMap(\.stringValue))
        #expect(words.isSubset(of: ["cat", "dog", "Zürich", "eel", "fox"]))
        #expect(labels.prefix(9).allSatisfy { $0.stringValue != "eel" && $0.stringValue != "fox" })
        #expect(labels.dropFirst(9).allSatisfy { $0.stringValue != "dog" && $0.stringValue != "Zürich" })
    }

    @Test("ZSTD-compressed bodies read as the uncompressed files do")
    func zstd() throws {
        let plain = try ArrowIPCFile(path: Fixtures.path("arrow/nested.arrow"))
        let compressed = try ArrowIPCFile(path: Fixtures.path("arrow/nested_zstd.arrow_file"))
        #expect(plain.schema == compressed.schema)
        for (a, b) in zip(plain.columns, compressed.columns) {
            // NaN differs from itself, so compare the JSON forms (where NaN equals NaN).
            #expect(a.map(pythonJSON) == b.map(pythonJSON))
        }
    }

    @Test("Bytes read from memory equal bytes read from the file")
    func inMemory() throws {
        let path = Fixtures.path("arrow/nested.arrow")
        let fromFile = try ArrowIPCFile(path: path)
        let fromMemory = try ArrowIPCFile(bytes: try Fixtures.bytes(atPath: path), path: "memory.arrow")
        #expect(fromMemory.path == "memory.arrow")
        #expect(fromFile.columns.map { $0.map(pythonJSON) } == fromMemory.columns.map { $0.map(pythonJSON) })
    }

    @Test("An unknown column name is missingMember listing the columns")
    func missingColumn() throws {
        let path = Fixtures.path("arrow/hf_datasets.arrow")
        let file = try ArrowIPCFile(path: path)
        let error = try #require(throws: DataCompError.self) { try file.column(named: "captions") }
        #expect(error.code == .missingMember)
        #expect(error.path == path)
        #expect(error.message.contains("image, caption, candidate_images"))
    }

    @Test("A missing file is fileNotFound")
    func missingFile() {
        let error = #expect(throws: DataCompError.self) { try ArrowIPCFile(path: "/nonexistent/data.arrow") }
        #expect(error?.code == .fileNotFound)
        #expect(error?.path == "/nonexistent/data.arrow")
    }

    @Test("Columns outlive the file value that opened them")
    func columnsKeepTheMapping() throws {
        let column = try ArrowIPCFile(path: Fixtures.path("arrow/hf_datasets.arrow")).column(named: "image")
        let bytes = try #require(column[0][field: "bytes"]?.bytesValue)
        #expect(bytes.first == 0x89)
        #expect(bytes.array.count == bytes.count)
    }
}
