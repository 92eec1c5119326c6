// swift-tools-version: 6.1
// Benchmarks for DataComp for Swift, kept in a nested package so that users of the SDK never
// resolve package-benchmark. Run them side by side with the Python reference: `bash compare.sh`.

import PackageDescription

let package = Package(
    name: "DataCompBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "DataComp", path: ".."),
        // The RuntimeInterposer trait pulls in a package this environment does not carry and is
        // not needed for wall-clock and throughput metrics; keep only the malloc interposer.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "DataCompCore", package: "DataComp"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        )
    ]
)
