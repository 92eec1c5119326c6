import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

/// Distributed runs: every baseline split into 1, 3 and 7 shares, each written to disk and read
/// back, merges to the single-process subset byte for byte and to its report (all fields but
/// the time).
@Suite struct PartialFilterResultTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var variant: BaselineExpectations.Variant
        var shares: Int
        var testDescription: String { "\(variant.name) in \(shares) shares" }
    }

    static func cases() throws -> [Case] {
        try BaselineExpectations.variants().flatMap { variant in [1, 3, 7].map { Case(variant: variant, shares: $0) } }
    }

    @Test("N shares merged equal the single-process run", arguments: try cases())
    func sharesMergeToSingleRun(testCase: Case) async throws {
        let pool = try CandidatePool(metadataDirectory: BaselineExpectations.metadata)
        let strategy = try testCase.variant.baseline.strategy()
        let single = try await strategy.run(on: pool, concurrency: ConcurrencyBudget(width: 2))
        let folder = try Fixtures.temporaryDirectory("shares")
        defer { try? FileManager.default.removeItem(at: folder) }
        var parts: [PartialFilterResult] = []
        for index in (0..<testCase.shares).reversed() {
            let part = try await strategy.run(
                share: FilterShare(index: index, of: testCase.shares), on: pool,
                concurrency: ConcurrencyBudget(width: 2))
            let path = folder.appendingPathComponent("part-\(index)").path
            try part.write(to: path)
            parts.append(try PartialFilterResult(contentsOfDirectory: path))
        }
        let merged = try PartialFilterResult.merge(parts)
        let singlePath = folder.appendingPathComponent("single.npy").path
        let mergedPath = folder.appendingPathComponent("merged.npy").path
        try single.write(to: singlePath)
        try merged.write(to: mergedPath)
        #expect(try Fixtures.bytes(atPath: singlePath) == (try Fixtures.bytes(atPath: mergedPath)))
        #expect(Array(merged.subset) == testCase.variant.uids)
        var mergedReport = merged.report
        mergedReport.elapsedSeconds = single.report.elapsedSeconds
        #expect(mergedReport.jsonValue == single.report.jsonValue)
    }

    @Test("Merging refuses a missing share, a share given twice and parts of another run")
    func refusesMismatchedParts() async throws {
        let pool = try CandidatePool(metadataDirectory: BaselineExpectations.metadata)
        let strategy = ScoreFilter(.clipL14Score, .topFraction(0.3))
        let parts = try await (0..<3).asyncMap {
            try await strategy.run(share: FilterShare(index: $0, of: 3), on: pool)
        }
        let missing = #expect(throws: DataCompError.self) { try PartialFilterResult.merge(Array(parts.prefix(2))) }
        #expect(missing?.message.contains("shares 2 of 3 are missing") == true)
        let twice = #expect(throws: DataCompError.self) { try PartialFilterResult.merge(parts + [parts[0]]) }
        #expect(twice?.message.contains("given twice") == true)
        let other = try await ScoreFilter(.clipL14Score, .topFraction(0.2)).run(
            share: FilterShare(index: 2, of: 3), on: pool)
        let mixed = #expect(throws: DataCompError.self) {
            try PartialFilterResult.merge(Array(parts.prefix(2)) + [other])
        }
        #expect(mixed?.message.contains("different runs") == true)
        #expect(throws: DataCompError.self) { try PartialFilterResult.merge([]) }
    }

    @Test("A partial result folder is written atomically and damaged ones are refused on reading")
    func files() async throws {
        let pool = try CandidatePool(metadataDirectory: BaselineExpectations.metadata)
        let part = try await ScoreFilter(.clipB32Score, .topFraction(0.1)).run(
            share: FilterShare(index: 1, of: 2), on: pool)
        let folder = try Fixtures.temporaryDirectory("part-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("part").path
        try part.write(to: path)
        try part.write(to: path)  // a rerun of the share replaces its folder
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["part"])
        let file = folder.appendingPathComponent("file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let refused = #expect(throws: DataCompError.self) { try part.write(to: file) }
        #expect(refused?.code == .invalidArgument)
        try FileManager.default.removeItem(atPath: path + "/pending_scores.npy")
        #expect(throws: DataCompError.self) { try PartialFilterResult(contentsOfDirectory: path) }
        let notAPart = #expect(throws: DataCompError.self) { try PartialFilterResult(contentsOfDirectory: folder.path) }
        #expect(notAPart?.code == .fileNotFound)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
