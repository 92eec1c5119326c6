// swift-tools-version: 6.0
// DataComp for Swift: the DataComp benchmark for multimodal dataset design, as a Swift package.

import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode plus explicit member imports.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "DataComp",
    platforms: [.macOS(.v14)],
    products: [
        // MARK: Public API
        .library(name: "DataCompCore", targets: ["DataCompCore"]),
        .library(name: "DataCompFilters", targets: ["DataCompFilters"]),
        .library(name: "DataCompTraining", targets: ["DataCompTraining"]),
        .library(name: "DataCompEval", targets: ["DataCompEval"]),
        .library(name: "DataComp", targets: ["DataComp"]),
        .executable(name: "datacomp", targets: ["DataCompCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // MARK: Public API
        .target(
            name: "DataCompCore",
            dependencies: ["DataCompKernels", "CTurboJPEG", "CWebP", "CZlib", "CSnappy", "CZstd", "CLZ4", "CBrotli"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DataCompFilters", dependencies: ["DataCompCore", "DataCompKernels", "CFastTextShim"],
            swiftSettings: swiftSettings),
        .target(
            name: "DataCompTraining", dependencies: ["DataCompCore", "DataCompKernels"], swiftSettings: swiftSettings),
        .target(name: "DataCompEval", dependencies: ["DataCompCore", "CTorchRanking"], swiftSettings: swiftSettings),
        .target(
            name: "DataComp",
            dependencies: ["DataCompCore", "DataCompFilters", "DataCompTraining", "DataCompEval"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DataCompCLI",
            dependencies: [
                "DataComp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Implementation details
        // The compute kernels (GEMM, vectorised element-wise work, workspaces, BLAS threads): the
        // only importer of COpenBLAS; every layer uses it, no product exports it.
        .target(name: "DataCompKernels", dependencies: ["COpenBLAS"], swiftSettings: swiftSettings),

        // MARK: Examples
        .executableTarget(
            name: "subset-from-uids",
            dependencies: ["DataComp"],
            path: "Examples/subset-from-uids",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "evaluate-checkpoint",
            dependencies: ["DataComp"],
            path: "Examples/evaluate-checkpoint",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "train-and-embed",
            dependencies: ["DataComp"],
            path: "Examples/train-and-embed",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "custom-filter",
            dependencies: ["DataComp"],
            path: "Examples/custom-filter",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // A C interface to libfasttext (C++, Debian libfasttext-dev) for language identification;
        // only DataCompFilters/Language/Internal imports it.
        .target(
            name: "CFastTextShim",
            linkerSettings: [.linkedLibrary("fasttext")]
        ),

        // PyTorch's CPU top-k order among equal values (libstdc++'s selection and sorting, as
        // ATen calls them), for DataCompEval's metrics; only DataCompEval/Metrics/Internal imports it.
        .target(name: "CTorchRanking"),

        // MARK: C system libraries
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"]), .brew(["openblas"])]
        ),
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"]), .brew(["jpeg-turbo"])]
        ),
        .systemLibrary(
            name: "CWebP",
            pkgConfig: "libwebpdemux",
            providers: [.apt(["libwebp-dev"]), .brew(["webp"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CSnappy",
            pkgConfig: "snappy",
            providers: [.apt(["libsnappy-dev"]), .brew(["snappy"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        .systemLibrary(
            name: "CBrotli",
            pkgConfig: "libbrotlidec",
            providers: [.apt(["libbrotli-dev"]), .brew(["brotli"])]
        ),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]
        ),

        // MARK: Tests
        .target(
            name: "_DataCompTestSupport",
            dependencies: ["DataCompCore"],
            path: "Tests/_DataCompTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataCompKernelsTests",
            dependencies: ["DataCompKernels", "_DataCompTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataCompCoreTests",
            dependencies: ["DataCompCore", "_DataCompTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataCompFiltersTests",
            dependencies: ["DataCompFilters", "_DataCompTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataCompTrainingTests",
            dependencies: ["DataCompTraining", "_DataCompTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataCompEvalTests",
            dependencies: ["DataCompEval", "_DataCompTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataCompCLITests",
            dependencies: ["DataCompCLI", "_DataCompTestSupport"],
            swiftSettings: swiftSettings
        ),
        // Builds and runs every example: the executables of this package and the downstream
        // package in Examples/pool-filter-package.
        .testTarget(
            name: "ExampleTests",
            dependencies: [
                "DataCompCore", "subset-from-uids", "custom-filter", "evaluate-checkpoint", "train-and-embed",
                "_DataCompTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)

// Coverage-guided fuzz targets (Scripts/fuzz.sh sets DATACOMP_FUZZ=1 and builds them with
// -sanitize=fuzzer,address): one executable per parser, entered through LLVMFuzzerRunDriver.
if Context.environment["DATACOMP_FUZZ"] != nil {
    package.targets.append(
        .target(
            name: "_FuzzSupport", dependencies: ["DataCompCore"], path: "Fuzz/_FuzzSupport",
            swiftSettings: swiftSettings))
    for name in [
        "npy", "npz", "subset", "tar", "safetensors", "parquet", "image", "png", "tokenizer", "json", "torch",
    ] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["DataCompCore", "_FuzzSupport"], path: "Fuzz/fuzz-\(name)",
                swiftSettings: swiftSettings))
    }
}

// The DocC plugin is only resolved when documentation is built (Scripts/docs.sh sets
// DATACOMP_DOCS=1), so that users of the SDK never fetch it.
if Context.environment["DATACOMP_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"))
}
