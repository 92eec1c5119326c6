import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct AssetResolverTests {
    /// A small asset made up for the tests: its file is written by the test, its checksum is
    /// computed with the package's SHA-256 (checked against hashlib in the Hashing tests).
    static func testAsset(content: [UInt8]) -> Asset {
        Asset(
            name: "test-asset", fileName: "test-asset.txt", sha256: SHA256.hash(content).hexString,
            environmentVariable: "DATACOMP_TEST_ASSET", packageName: "no-such-package-for-datacomp-tests",
            packageVersion: "0.0.0", memberPath: "pkg/test-asset.txt", summary: "the test asset")
    }

    static let content = Array("n00000001\nn00000002\n".utf8)

    @Test("Uses an explicit path and checks its sha256")
    func resolvesExplicitPath() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        let file = folder.appendingPathComponent("mine.txt").path
        try AtomicFile.write(Self.content, to: file)
        let resolver = AssetResolver(cacheDirectory: folder.appendingPathComponent("cache").path, environment: [:])
        #expect(try resolver.path(for: asset, explicitPath: file) == file)
    }

    @Test("Uses the asset's environment variable before the cache")
    func resolvesEnvironmentVariable() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        let file = folder.appendingPathComponent("env.txt").path
        try AtomicFile.write(Self.content, to: file)
        let cache = folder.appendingPathComponent("cache").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        try AtomicFile.write(Self.content, to: cache + "/test-asset.txt")
        let resolver = AssetResolver(cacheDirectory: cache, environment: ["DATACOMP_TEST_ASSET": file])
        #expect(try resolver.path(for: asset) == file)
    }

    @Test("Finds a verified file in the cache folder, DATACOMP_CACHE by default")
    func resolvesFromCache() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        let resolver = AssetResolver(environment: ["DATACOMP_CACHE": folder.path])
        #expect(resolver.cacheDirectory == folder.path)
        try AtomicFile.write(Self.content, to: resolver.cachePath(for: asset))
        #expect(try resolver.path(for: asset) == folder.path + "/test-asset.txt")
        #expect(AssetResolver.defaultCacheDirectory(environment: ["HOME": "/home/x"]) == "/home/x/.cache/datacomp")
        #expect(AssetResolver(environment: [:]).fetcher == nil)
        #expect(AssetResolver.commandLine(environment: ["DATACOMP_OFFLINE": "1"]).fetcher == nil)
        #expect(AssetResolver.commandLine(environment: [:]).fetcher?.name == "pip download")
    }

    @Test("Reports a checksum mismatch with the expected hash and how to provide the file")
    func reportsChecksumMismatch() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        let file = folder.appendingPathComponent("wrong.txt").path
        try AtomicFile.write(Array("something else".utf8), to: file)
        let resolver = AssetResolver(cacheDirectory: folder.path, environment: ["DATACOMP_TEST_ASSET": file])
        for attempt in [{ try resolver.path(for: asset) }, { try resolver.path(for: asset, explicitPath: file) }] {
            do {
                _ = try attempt()
                Issue.record("a file with the wrong content was accepted")
            } catch let error as DataCompError {
                #expect(error.code == .checksumMismatch)
                #expect(error.path == file)
                #expect(error.message.contains(asset.sha256))
                #expect(error.message.contains("pip download --no-deps"))
            }
        }
    }

    @Test("Says how to provide the file when nothing works")
    func reportsMissingAsset() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        // A corrupt cached copy with downloads disabled.
        try AtomicFile.write(Array("stale".utf8), to: folder.path + "/test-asset.txt")
        let resolver = AssetResolver(cacheDirectory: folder.path, environment: [:])
        do {
            _ = try resolver.path(for: asset)
            Issue.record("a stale cached copy was accepted")
        } catch let error as DataCompError {
            #expect(error.code == .missingAsset)
            for part in [
                "DATACOMP_TEST_ASSET", "pkg/test-asset.txt", "no-such-package-for-datacomp-tests==0.0.0", asset.sha256,
                "sha256",
            ] {
                #expect(error.message.contains(part), "message lacks \(part): \(error.message)")
            }
        }
        // An explicit path that does not exist.
        #expect(throws: DataCompError.self) { try resolver.path(for: asset, explicitPath: folder.path + "/nope") }
    }

    @Test("Turns a failing pip run into missingAsset")
    func reportsFailingFetch() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        // An interpreter that does not exist: the fetch fails without touching the network.
        let resolver = AssetResolver(
            cacheDirectory: folder.path, fetcher: .pipDownload(pythonExecutable: "/nonexistent/python3"),
            environment: [:])
        do {
            _ = try resolver.path(for: asset)
            Issue.record("resolution succeeded without any source")
        } catch let error as DataCompError {
            #expect(error.code == .missingAsset)
            #expect(error.message.contains("fetching with pip download failed"))
        }
    }

    @Test("An injected fetcher fills the cache once; wrong bytes are a checksum mismatch")
    func injectedFetcher() throws {
        let folder = try Fixtures.temporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let asset = Self.testAsset(content: Self.content)
        let calls = Counter()
        let fetcher = AssetFetcher(name: "memory") { _ in
            calls.increment()
            return Self.content
        }
        let resolver = AssetResolver(cacheDirectory: folder.path, fetcher: fetcher, environment: [:])
        #expect(try resolver.path(for: asset) == folder.path + "/test-asset.txt")
        #expect(try resolver.path(for: asset) == folder.path + "/test-asset.txt")
        #expect(calls.value == 1, "the second resolution must come from the cache")
        let liar = AssetResolver(
            cacheDirectory: folder.appendingPathComponent("other").path,
            fetcher: AssetFetcher(name: "liar") { _ in Array("tampered".utf8) }, environment: [:])
        let error = try #require(throws: DataCompError.self) { try liar.path(for: asset) }
        #expect(error.code == .missingAsset)
        #expect((error.cause as? DataCompError)?.code == .checksumMismatch)
        #expect(!FileManager.default.fileExists(atPath: liar.cachePath(for: asset)))
    }

    /// Downloads open-clip-torch 3.3.0 from PyPI.
    ///
    /// Opt-in (network): set DATACOMP_TEST_NETWORK=1;
    /// otherwise Swift Testing reports it as skipped.
    @Test(
        "Fetches the CLIP vocabulary from PyPI into an empty cache",
        .enabled(
            if: ProcessInfo.processInfo.environment["DATACOMP_TEST_NETWORK"] == "1",
            "set DATACOMP_TEST_NETWORK=1 to run")
    )
    func fetchesFromPyPI() throws {
        let folder = try Fixtures.temporaryDirectory("assets-fetch")
        defer { try? FileManager.default.removeItem(at: folder) }
        let resolver = AssetResolver(cacheDirectory: folder.path, fetcher: .pipDownload(), environment: [:])
        let path = try resolver.path(for: .clipVocabulary)
        #expect(path == folder.path + "/bpe_simple_vocab_16e6.txt.gz")
        // sha256 from hashlib of open-clip-torch 3.3.0's open_clip/bpe_simple_vocab_16e6.txt.gz.
        #expect(
            try SHA256.hash(fileAt: path).hexString
                == "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a")
        #expect(try CLIPTokenizer(vocabularyAt: path).encode("a photo of a cat.") == [320, 1125, 539, 320, 2368, 269])
    }
}

/// A thread-safe call counter for fetchers.
private final class Counter: @unchecked Sendable {
    // Every access holds `lock`.
    private var count = 0
    private let lock = NSLock()

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
}
