/// Writes samples as tar members exactly like webdataset 1.0.2's `TarWriter` (PAX format of
/// CPython 3.11's `tarfile`, stream mode).
///
/// For each sample, the members are written in sorted extension order (Python code-point order),
/// named `<key>.<extension>`; extensions starting with `_` are left out (webdataset drops
/// `__key__`, `__url__` and other metadata unless `keep_meta`). Each header is a USTAR block with
/// mode, `uname`/`gname` and mtime from ``TarMemberAttributes``, uid and gid 0; names longer
/// than 100 characters or not ASCII get a PAX `path` record first, as `tarfile` does. The
/// archive ends with two zero blocks padded to a multiple of 10 240 bytes.
public enum WebDatasetTarWriter {
    /// Writes `samples` to one tar file atomically.
    ///
    /// - Parameters:
    ///   - samples: The samples, in order.
    ///   - path: The destination `.tar`; its folder must exist.
    ///   - attributes: Header fields for every member.
    /// - Returns: The number of payload bytes written (the sum of member sizes).
    /// - Throws: ``DataCompError`` with code `io`, or `invalidArgument` for a sample with a
    ///   repeated extension.
    @discardableResult
    public static func write(
        _ samples: some Sequence<WebDatasetSample>, to path: String, attributes: TarMemberAttributes = .init()
    ) throws -> Int {
        let time = attributes.modificationTime ?? currentTime()
        return try AtomicFile.write(to: path) { sink in
            var payload = 0
            var buffer: [UInt8] = []
            for sample in samples {
                buffer.removeAll(keepingCapacity: true)
                payload += try encode(
                    sample, attributes: attributes, modificationTime: time, into: &buffer, sink: &sink)
            }
            buffer.removeAll(keepingCapacity: true)
            appendEnd(archiveSize: sink.bytesWritten, to: &buffer)
            try sink.write(buffer)
            return payload
        }
    }

    /// Appends the encoding of `sample` to `sink`, using `buffer` for headers.
    ///
    /// - Returns: The sample's payload bytes (the sum of its member sizes).
    package static func encode(
        _ sample: WebDatasetSample, attributes: TarMemberAttributes, modificationTime: Int,
        into buffer: inout [UInt8], sink: inout FileSink
    ) throws -> Int {
        let members = try sortedMembers(of: sample)
        var payload = 0
        for member in members {
            buffer.removeAll(keepingCapacity: true)
            let size = member.bytes.count
            appendHeaders(
                name: sample.key + "." + member.fileExtension, size: size, attributes: attributes,
                modificationTime: modificationTime, to: &buffer)
            try sink.write(buffer)
            try member.bytes.withUnsafeBytes { try sink.write($0) }
            let remainder = size % TarParser.blockSize
            if remainder > 0 { try sink.write(repeatElement(UInt8(0), count: TarParser.blockSize - remainder)) }
            payload += size
        }
        return payload
    }

    /// Encodes samples into an in-memory archive (for tests and small outputs).
    ///
    /// - Parameters:
    ///   - samples: The samples, in order.
    ///   - attributes: Header fields; a `nil` time writes the current time.
    /// - Returns: The complete archive bytes.
    /// - Throws: ``DataCompError`` with code `invalidArgument` for a repeated extension.
    public static func archive(
        _ samples: some Sequence<WebDatasetSample>, attributes: TarMemberAttributes = .init()
    ) throws -> [UInt8] {
        let time = attributes.modificationTime ?? currentTime()
        var output: [UInt8] = []
        for sample in samples {
            for member in try sortedMembers(of: sample) {
                appendHeaders(
                    name: sample.key + "." + member.fileExtension, size: member.bytes.count,
                    attributes: attributes, modificationTime: time, to: &output)
                output.append(contentsOf: member.bytes)
                let remainder = member.bytes.count % TarParser.blockSize
                if remainder > 0 { output.append(contentsOf: repeatElement(0, count: TarParser.blockSize - remainder)) }
            }
        }
        appendEnd(archiveSize: output.count, to: &output)
        return output
    }

    private static func sortedMembers(of sample: WebDatasetSample) throws -> [WebDatasetSample.Member] {
        let kept = sample.members.filter { !$0.fileExtension.hasPrefix("_") }
        let sorted = kept.sorted {
            $0.fileExtension.unicodeScalars.lexicographicallyPrecedes($1.fileExtension.unicodeScalars)
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.fileExtension == b.fileExtension {
            throw DataCompError(
                .invalidArgument,
                "sample '\(sample.key)' has two '.\(a.fileExtension)' members; a tar sample needs distinct extensions",
                position: .member(sample.key + "." + a.fileExtension))
        }
        return sorted
    }

    /// Appends the two end-of-archive blocks and the padding to a multiple of 20 blocks.
    package static func appendEnd(archiveSize: Int, to buffer: inout [UInt8]) {
        let record = 20 * TarParser.blockSize
        let end = archiveSize + 2 * TarParser.blockSize
        let padding = (record - end % record) % record
        buffer.append(contentsOf: repeatElement(0, count: 2 * TarParser.blockSize + padding))
    }

    /// Appends the header block(s) of one regular member, with a PAX extended header first when
    /// `tarfile`'s PAX format needs one.
    package static func appendHeaders(
        name: String, size: Int, attributes: TarMemberAttributes, modificationTime: Int, to buffer: inout [UInt8]
    ) {
        var records: [(String, String)] = []
        for (key, value, limit) in [
            ("path", name, 100), ("uname", attributes.user, 32), ("gname", attributes.group, 32),
        ] {
            if !value.unicodeScalars.allSatisfy(\.isASCII) || value.unicodeScalars.count > limit {
                records.append((key, value))
            }
        }
        let numericLimit = 1 << 33  // 8 ** 11
        var headerSize = size
        var headerTime = modificationTime
        if !(0..<numericLimit).contains(size) {
            headerSize = 0
            records.append(("size", String(size)))
        }
        if !(0..<numericLimit).contains(modificationTime) {
            headerTime = 0
            records.append(("mtime", String(modificationTime)))
        }
        if !records.isEmpty {
            var data: [UInt8] = []
            for (key, value) in records {
                let body = key.utf8.count + value.utf8.count + 3
                var length = 0
                var previous = 0
                while true {
                    length = body + String(previous).utf8.count
                    if length == previous { break }
                    previous = length
                }
                data.append(contentsOf: "\(length) \(key)=\(value)\n".utf8)
            }
            appendHeader(
                name: "././@PaxHeader", mode: 0, size: data.count, mtime: 0, type: UInt8(ascii: "x"),
                user: "", group: "", to: &buffer)
            buffer.append(contentsOf: data)
            let remainder = data.count % TarParser.blockSize
            if remainder > 0 { buffer.append(contentsOf: repeatElement(0, count: TarParser.blockSize - remainder)) }
        }
        appendHeader(
            name: name, mode: attributes.mode & 0o7777, size: headerSize, mtime: headerTime, type: UInt8(ascii: "0"),
            user: attributes.user, group: attributes.group, to: &buffer)
    }

    private static func appendHeader(
        name: String, mode: Int, size: Int, mtime: Int, type: UInt8, user: String, group: String,
        to buffer: inout [UInt8]
    ) {
        var block = [UInt8](repeating: 0, count: TarParser.blockSize)
        func text(_ value: String, _ offset: Int, _ length: Int) {
            // tarfile: encode("ascii", "replace"), truncated to the field.
            var index = offset
            for scalar in value.unicodeScalars where index < offset + length {
                block[index] = scalar.isASCII ? UInt8(scalar.value) : UInt8(ascii: "?")
                index += 1
            }
        }
        func octal(_ value: Int, _ offset: Int, _ length: Int) {
            let digits = Array(String(value, radix: 8).utf8)
            let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, length - 1 - digits.count)) + digits
            for (i, byte) in padded.prefix(length - 1).enumerated() { block[offset + i] = byte }
            block[offset + length - 1] = 0
        }
        text(name, 0, 100)
        octal(mode, 100, 8)
        octal(0, 108, 8)
        octal(0, 116, 8)
        octal(size, 124, 12)
        octal(mtime, 136, 12)
        for i in 148..<156 { block[i] = UInt8(ascii: " ") }
        block[156] = type
        block.replaceSubrange(257..<265, with: Array("ustar".utf8) + [0] + Array("00".utf8))
        text(user, 265, 32)
        text(group, 297, 32)
        let checksum = block.reduce(0) { $0 + Int($1) }
        let digits = Array(String(checksum, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, 6 - digits.count)) + digits
        for (i, byte) in field.suffix(6).enumerated() { block[148 + i] = byte }
        block[154] = 0
        buffer.append(contentsOf: block)
    }

    package static func currentTime() -> Int { Int(POSIX.system_wallClock()) }
}
