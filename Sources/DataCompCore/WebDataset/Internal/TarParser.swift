/// One archive member as Python's `tarfile` (3.11, stream mode) sees it after applying GNU
/// long-name and PAX extension headers.
package struct TarEntry: Sendable {
    /// The member name (`tarinfo.name`).
    package var name: String
    /// The type flag of the real header (`tarinfo.type`, after the AREGTYPE-with-slash rule).
    package var typeFlag: UInt8
    /// The offset of the first header block of this member (including extension headers).
    package var headerOffset: Int
    /// The offset of the member's data.
    package var dataOffset: Int
    /// The number of data bytes (`tarinfo.size`).
    package var size: Int

    /// Whether `tarfile` calls this a regular file (`REGTYPE`, `AREGTYPE`, `CONTTYPE`).
    package var isRegular: Bool {
        typeFlag == UInt8(ascii: "0") || typeFlag == 0 || typeFlag == UInt8(ascii: "7")
    }
}

/// A streaming parser of uncompressed tar archives (USTAR, GNU and PAX) over bytes that outlive it.
///
/// It follows CPython 3.11's `tarfile` header rules (checksum accepted signed or unsigned, octal
/// or base-256 numbers, USTAR prefix, `L`/`K` long names, `x`/`g` PAX records with `path` and
/// `size`, end at the first zero block), but where `tarfile` silently stops reading at a damaged
/// header after the first member, this parser throws.
package struct TarParser {
    package static let blockSize = 512

    private let bytes: UnsafeRawBufferPointer
    /// The offset of the next header.
    package private(set) var offset = 0
    /// Global PAX records seen so far (`tarfile.pax_headers`).
    private var globalRecords: [String: String] = [:]
    private var finished = false

    package init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private enum Wrapper {
        case longName(String)
        case longLink
        case pax([String: String])
    }

    /// Returns the next member, or `nil` at the end of the archive.
    ///
    /// - Throws: ``DataCompError`` (without a path) naming the byte offset.
    package mutating func next() throws -> TarEntry? {
        if finished { return nil }
        if offset == 0 {
            if bytes.isEmpty {
                throw DataCompError(.invalidFormat, "empty file, expected a tar archive", position: .offset(0))
            }
            try Self.rejectCompressed(bytes)
        }
        let start = offset
        var position = offset
        var wrappers: [Wrapper] = []
        while true {
            let remaining = bytes.count - position
            if remaining == 0 && wrappers.isEmpty {
                // No end-of-archive blocks: tarfile accepts this.
                finished = true
                return nil
            }
            if remaining < Self.blockSize && wrappers.isEmpty
                && UnsafeRawBufferPointer(rebasing: bytes[position...]).allSatisfy({ $0 == 0 })
            {
                // A cut inside the end-of-archive zeros loses no member; tarfile accepts it too.
                finished = true
                return nil
            }
            guard remaining >= Self.blockSize else {
                throw DataCompError(
                    .truncatedFile,
                    "the archive ends inside a \(Self.blockSize)-byte header block (\(remaining) bytes left); the file is truncated",
                    position: .offset(position))
            }
            let header = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + Self.blockSize)])
            if header.allSatisfy({ $0 == 0 }) {
                guard wrappers.isEmpty else {
                    throw DataCompError(
                        .corruptData,
                        "an extension header is followed by an end-of-archive block instead of a member header",
                        position: .offset(position))
                }
                finished = true
                return nil
            }
            try Self.verifyChecksum(header, at: position)
            let type = header[156]
            let size = try Self.number(header, 124, 12, field: "size", at: position)
            guard size >= 0 else {
                throw DataCompError(
                    .corruptData, "negative member size \(size) in tar header", position: .offset(position + 124))
            }
            let dataStart = position + Self.blockSize
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "X"):
                let padded = try Self.paddedSize(size, at: position)
                let (end, overflow) = dataStart.addingReportingOverflow(padded)
                guard !overflow, end <= bytes.count else {
                    throw DataCompError(
                        .truncatedFile,
                        "the archive ends inside an extension header's data (needs \(size) bytes at offset \(dataStart), the file has \(bytes.count))",
                        position: .offset(position))
                }
                let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<end])
                switch type {
                case UInt8(ascii: "L"): wrappers.append(.longName(Self.string(nulTerminated: data)))
                case UInt8(ascii: "K"): wrappers.append(.longLink)
                case UInt8(ascii: "g"):
                    for (key, value) in try Self.paxRecords(data, at: position) { globalRecords[key] = value }
                default:
                    var records = globalRecords
                    for (key, value) in try Self.paxRecords(data, at: position) { records[key] = value }
                    wrappers.append(.pax(records))
                }
                position = end
                continue
            case UInt8(ascii: "S"):
                throw DataCompError(
                    .unsupportedFormat, "GNU sparse members are not supported; re-create the archive without --sparse",
                    position: .offset(position))
            default:
                break
            }
            // A real member header.
            var name = Self.string(nulTerminated: UnsafeRawBufferPointer(rebasing: header[0..<100]))
            var typeFlag = type
            if typeFlag == 0 && name.hasSuffix("/") { typeFlag = UInt8(ascii: "5") }
            let prefix = Self.string(nulTerminated: UnsafeRawBufferPointer(rebasing: header[345..<500]))
            if typeFlag == UInt8(ascii: "5") { name = Self.strippingTrailingSlashes(name) }
            if !prefix.isEmpty { name = prefix + "/" + name }
            var entry = TarEntry(name: name, typeFlag: typeFlag, headerOffset: start, dataOffset: dataStart, size: size)
            let skipsData = entry.isRegular || !Self.knownTypes.contains(typeFlag)
            var next = try Self.offset(
                dataStart, plus: skipsData ? Self.paddedSize(size, at: position) : 0, at: position)
            // Global records patch every member (tarfile's _proc_builtin), without moving `next`.
            try Self.apply(globalRecords, to: &entry, at: position)
            // Extension headers apply from the innermost outwards, so the outermost wins.
            for wrapper in wrappers.reversed() {
                switch wrapper {
                case .longName(let longName): entry.name = longName
                case .longLink: break
                case .pax(let records):
                    try Self.apply(records, to: &entry, at: position)
                    if records["size"] != nil {
                        let moves = entry.isRegular || !Self.knownTypes.contains(entry.typeFlag)
                        next = try Self.offset(
                            dataStart, plus: moves ? Self.paddedSize(entry.size, at: position) : 0, at: position)
                    }
                }
            }
            if entry.typeFlag == UInt8(ascii: "5") { entry.name = Self.strippingTrailingSlashes(entry.name) }
            let (dataEnd, overflow) = dataStart.addingReportingOverflow(entry.isRegular ? entry.size : 0)
            guard !overflow, dataEnd <= bytes.count, next <= bytes.count else {
                throw DataCompError(
                    .truncatedFile,
                    "the archive ends inside member '\(entry.name)': its data needs bytes up to offset \(max(dataEnd, next)), the file has \(bytes.count); the file is truncated",
                    position: .memberOffset(entry.name, dataStart))
            }
            offset = next
            return entry
        }
    }

    /// Types `tarfile` knows (`SUPPORTED_TYPES`); members of other types are skipped like files.
    private static let knownTypes: Set<UInt8> = Set("01234567LKS".utf8).union([0])

    private static func rejectCompressed(_ bytes: UnsafeRawBufferPointer) throws {
        let magics: [(String, [UInt8])] = [
            ("gzip", [0x1F, 0x8B]), ("bzip2", Array("BZh".utf8)), ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A]),
            ("zstd", [0x28, 0xB5, 0x2F, 0xFD]),
        ]
        for (name, magic) in magics where bytes.count >= magic.count && bytes.prefix(magic.count).elementsEqual(magic) {
            throw DataCompError(
                .unsupportedFormat, "this is a \(name)-compressed archive; decompress it to a plain .tar first",
                position: .offset(0))
        }
    }

    private static func offset(_ base: Int, plus length: Int, at position: Int) throws -> Int {
        let (sum, overflow) = base.addingReportingOverflow(length)
        guard !overflow else {
            throw DataCompError(
                .corruptData, "impossible member size \(length) in tar header", position: .offset(position + 124))
        }
        return sum
    }

    private static func paddedSize(_ size: Int, at position: Int) throws -> Int {
        let (padded, overflow) = size.addingReportingOverflow(blockSize - 1)
        guard !overflow else {
            throw DataCompError(
                .corruptData, "impossible member size \(size) in tar header", position: .offset(position + 124))
        }
        return padded / blockSize * blockSize
    }

    private static func verifyChecksum(_ header: UnsafeRawBufferPointer, at position: Int) throws {
        let stored: Int
        do {
            stored = try number(header, 148, 8, field: "checksum", at: position)
        } catch {
            throw DataCompError(
                .corruptData, "the tar header checksum field is not a number; this is not a tar file or it is damaged",
                position: .offset(position + 148))
        }
        var unsigned = 0
        var signed = 0
        for index in 0..<blockSize {
            let byte = (148..<156).contains(index) ? UInt8(ascii: " ") : header[index]
            unsigned += Int(byte)
            signed += Int(Int8(bitPattern: byte))
        }
        guard stored == unsigned || stored == signed else {
            throw DataCompError(
                .corruptData,
                "tar header checksum mismatch (stored \(stored), computed \(unsigned)); this is not a tar file or it is damaged",
                position: .offset(position))
        }
    }

    /// Reads a numeric header field like tarfile's `nti`: base-256 if the first byte is 0x80 or
    /// 0xFF, else octal text up to the first NUL, surrounded by optional whitespace.
    package static func number(
        _ header: UnsafeRawBufferPointer, _ start: Int, _ length: Int, field: String, at position: Int
    ) throws -> Int {
        let bytes = UnsafeRawBufferPointer(rebasing: header[start..<(start + length)])
        let invalid = DataCompError(
            .corruptData, "the tar header's \(field) field is not a valid number", position: .offset(position + start))
        if bytes[0] == 0x80 || bytes[0] == 0xFF {
            var value = 0
            for byte in bytes.dropFirst() {
                let (shifted, o1) = value.multipliedReportingOverflow(by: 256)
                let (sum, o2) = shifted.addingReportingOverflow(Int(byte))
                guard !o1, !o2 else { throw invalid }
                value = sum
            }
            if bytes[0] == 0xFF {
                // Two's complement over (length - 1) bytes: value - 256^(length-1).
                guard length - 1 < 8 else { throw invalid }
                value -= 1 << (8 * (length - 1))
            }
            return value
        }
        var text = Array(bytes.prefix { $0 != 0 })
        guard text.allSatisfy({ $0 < 0x80 }) else { throw invalid }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) || (0x1C...0x1F).contains($0) }
        while let first = text.first, isSpace(first) { text.removeFirst() }
        while let last = text.last, isSpace(last) { text.removeLast() }
        if text.isEmpty { return 0 }
        var negative = false
        var index = 0
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            index = 1
        }
        guard index < text.count else { throw invalid }
        var value = 0
        var previousWasDigit = false
        for byte in text[index...] {
            if byte == UInt8(ascii: "_") && previousWasDigit {
                previousWasDigit = false
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else { throw invalid }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 8)
            let (sum, o2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw invalid }
            value = sum
            previousWasDigit = true
        }
        guard previousWasDigit else { throw invalid }
        return negative ? -value : value
    }

    /// Decodes bytes up to the first NUL as UTF-8 (invalid sequences become U+FFFD).
    package static func string(nulTerminated bytes: UnsafeRawBufferPointer) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    }

    private static func strippingTrailingSlashes(_ name: String) -> String {
        var name = Substring(name)
        while name.hasSuffix("/") { name.removeLast() }
        return String(name)
    }

    /// Parses PAX records `"%d %s=%s\n"` the way tarfile 3.11 does: stop at the first record that
    /// does not match `(\d+) ([^=]+)=`, and take the value by the declared length.
    private static func paxRecords(_ data: UnsafeRawBufferPointer, at position: Int) throws -> [(String, String)] {
        var records: [(String, String)] = []
        var pos = 0
        while pos < data.count {
            var cursor = pos
            var length = 0
            var digits = 0
            while cursor < data.count, data[cursor] >= 0x30, data[cursor] <= 0x39 {
                let (shifted, o1) = length.multipliedReportingOverflow(by: 10)
                let (sum, o2) = shifted.addingReportingOverflow(Int(data[cursor] - 0x30))
                length = (o1 || o2) ? Int.max : sum
                digits += 1
                cursor += 1
            }
            guard digits > 0, cursor < data.count, data[cursor] == 0x20 else { break }
            cursor += 1
            let keywordStart = cursor
            while cursor < data.count, data[cursor] != UInt8(ascii: "=") { cursor += 1 }
            guard cursor < data.count, cursor > keywordStart else { break }
            guard length > 0 else {
                throw DataCompError(.corruptData, "a PAX record declares length 0", position: .offset(position))
            }
            let keyword = String(decoding: UnsafeRawBufferPointer(rebasing: data[keywordStart..<cursor]), as: UTF8.self)
            let valueStart = cursor + 1
            let (limit, overflow) = pos.addingReportingOverflow(length - 1)
            let valueEnd = overflow ? data.count : min(max(limit, valueStart), data.count)
            let value = String(
                decoding: UnsafeRawBufferPointer(rebasing: data[min(valueStart, valueEnd)..<valueEnd]), as: UTF8.self)
            records.append((keyword, value))
            let (nextPos, o) = pos.addingReportingOverflow(length)
            if o { break }
            pos = nextPos
        }
        return records
    }

    private static func apply(_ records: [String: String], to entry: inout TarEntry, at position: Int) throws {
        if records.keys.contains(where: { $0.hasPrefix("GNU.sparse.") }) {
            // PAX-format GNU sparse files (formats 0.x and 1.0): the member's data is a sparse map
            // plus the packed non-zero blocks, not the file; webdataset would read those bytes.
            let name = records["GNU.sparse.name"] ?? records["path"] ?? entry.name
            throw DataCompError(
                .unsupportedFormat,
                "member '\(name)' is a GNU sparse file (PAX GNU.sparse records): its data is a sparse map and packed blocks, not the file; re-create the archive without --sparse",
                position: .member(name))
        }
        if let path = records["path"] {
            entry.name = strippingTrailingSlashes(path)
        }
        if let text = records["size"] {
            // tarfile: int(value), and 0 if that fails.
            let trimmed = text.trimmingASCIIWhitespace()
            var size = 0
            if let parsed = Int(trimmed.replacingUnderscoresBetweenDigits()) { size = parsed }
            guard size >= 0 else {
                throw DataCompError(
                    .corruptData, "negative member size \(size) in PAX header", position: .offset(position))
            }
            entry.size = size
        }
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || ("\t"..."\r").contains($0) }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    fileprivate func replacingUnderscoresBetweenDigits() -> String {
        var result = ""
        var previous: Character?
        let characters = Array(self)
        for (index, character) in characters.enumerated() {
            if character == "_", let previous, previous.isASCII, previous.isNumber,
                index + 1 < characters.count, characters[index + 1].isASCII, characters[index + 1].isNumber
            {
                continue
            }
            result.append(character)
            previous = character
        }
        return result
    }
}
