import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

/// k-means against faiss-cpu 1.15.1 on the same points (Scripts/fixtures/kmeans_fixtures.py).
///
/// Where faiss compares pairs directly (points × dimensions < 128 000) the centroids and every
/// iteration's objective must be identical bit for bit; on its GEMM path the matrix products'
/// last bits differ, so the centroids must agree within 1e-5 and the objectives within 1e-5
/// relative.
@Suite struct KMeansTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var kmeans: KMeans
        var pairwise: Bool
        var objectives: [Float]
        var splits: [Int]
        var testDescription: String { name }
    }

    static func cases() throws -> [Case] {
        let object = try PoolFixtures.jsonObject("kmeans/expected.json")
        let cases = object["cases"] as? [String: [String: Any]] ?? [:]
        return cases.keys.sorted().map { name in
            let entry = cases[name] ?? [:]
            func int(_ key: String) -> Int { (entry[key] as? NSNumber)?.intValue ?? -1 }
            return Case(
                name: name,
                kmeans: KMeans(
                    clusterCount: int("k"), iterations: int("niter"), seed: int("seed"),
                    maxPointsPerCentroid: int("max_points_per_centroid"),
                    spherical: (entry["spherical"] as? Bool) ?? false,
                    metric: KMeans.Metric(rawValue: entry["metric"] as? String ?? "") ?? .l2),
                pairwise: (entry["pairwise"] as? Bool) ?? false,
                objectives: (entry["objectives"] as? [NSNumber] ?? []).map(\.floatValue),
                splits: (entry["splits"] as? [NSNumber] ?? []).map(\.intValue))
        }
    }

    static func points(_ name: String) throws -> Tensor {
        try Tensor(NPYArray(contentsOfFile: Fixtures.path("kmeans/\(name)_points.npy")))
    }

    @Test("Centroids and objectives equal faiss's", arguments: try cases())
    func matchesFaiss(testCase: Case) throws {
        let result = try testCase.kmeans.train(try Self.points(testCase.name), concurrency: ConcurrencyBudget(width: 2))
        let expected = try Tensor(NPYArray(contentsOfFile: Fixtures.path("kmeans/\(testCase.name)_centroids.npy")))
        #expect(result.centroids.shape == expected.shape)
        #expect(result.splits == testCase.splits)
        if testCase.pairwise {
            #expect(result.centroids.scalars == expected.scalars, "bit-identical centroids")
            #expect(result.objectives == testCase.objectives, "bit-identical objectives")
        } else {
            #expect(maxAbsoluteDifference(result.centroids.scalars, expected.scalars) <= 1e-5)
            #expect(result.objectives.count == testCase.objectives.count)
            for (ours, theirs) in zip(result.objectives, testCase.objectives) {
                #expect(abs(ours - theirs) <= 1e-5 * abs(theirs))
            }
        }
    }

    @Test("Fewer points than clusters and non-finite values are errors, as faiss refuses them")
    func badInput() {
        let few = #expect(throws: DataCompError.self) {
            try KMeans(clusterCount: 5).train(Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5]))
        }
        #expect(few?.code == .invalidArgument)
        let nan = #expect(throws: DataCompError.self) {
            try KMeans(clusterCount: 1).train(Tensor(shape: [2, 2], scalars: [0, .nan, 2, 3]))
        }
        #expect(nan?.position?.row == 0)
        let exact = try? KMeans(clusterCount: 2).train(Tensor(shape: [2, 2], scalars: [0, 1, 2, 3]))
        #expect(exact?.centroids.scalars == [0, 1, 2, 3], "n == k: the points themselves, as faiss")
    }
}
