// swift-tools-version: 6.0
// A downstream package, as a user's own would be: it depends on DataComp for Swift by path and
// filters a pool on an extra metadata column and a sidecar score file.
//
// Inside the repository the dependency is the checkout two folders up, named "DataComp" so that
// the product reference does not depend on the checkout's folder name; in your own package use
// .package(url: "https://github.com/<you>/datacomp-swift", branch: "main") instead.

import PackageDescription

let package = Package(
    name: "pool-filter-package",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "DataComp", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "pool-filter",
            dependencies: [.product(name: "DataComp", package: "DataComp")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
