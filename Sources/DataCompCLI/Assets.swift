import ArgumentParser
import DataComp

/// `datacomp assets`: list, locate and fetch the external files the package needs.
struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "List, locate and fetch external assets (BPE vocabulary, fastText model, WordNet ids).",
        discussion: """
            Assets are never bundled. Each is looked up in its environment variable, then in the \
            cache folder ($DATACOMP_CACHE or ~/.cache/datacomp), then fetched with \
            `python3 -m pip download --no-deps` of a pinned package and extracted; its sha256 is \
            checked every time. Set DATACOMP_OFFLINE=1 to forbid fetching.
            """,
        subcommands: [AssetsFetch.self, AssetsList.self]
    )
}

/// `datacomp assets fetch [NAME...]`: resolves assets (fetching if needed) and prints their paths.
struct AssetsFetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Resolve assets, fetching missing ones, and print 'name<TAB>path' for each."
    )

    @Argument(help: "Asset names (see `datacomp assets list`); none means all.")
    var names: [String] = []

    func run() throws {
        let resolver = AssetResolver.commandLine()
        for asset in try AssetsList.selected(names) {
            print("\(asset.name)\t\(try resolver.path(for: asset))")
        }
    }
}

/// `datacomp assets list`: prints every asset with its source and checksum.
struct AssetsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print each asset's name, environment variable, package, cache path and sha256."
    )

    func run() throws {
        let resolver = AssetResolver.commandLine()
        for asset in Asset.all {
            print(
                "\(asset.name)\t\(asset.environmentVariable)\t\(asset.packageName)==\(asset.packageVersion):\(asset.memberPath)\t\(resolver.cachePath(for: asset))\t\(asset.sha256)"
            )
        }
    }

    static func selected(_ names: [String]) throws -> [Asset] {
        if names.isEmpty { return Asset.all }
        return try names.map { name in
            guard let asset = Asset.all.first(where: { $0.name == name }) else {
                throw ValidationError(
                    "unknown asset '\(name)'; known: \(Asset.all.map(\.name).joined(separator: ", "))")
            }
            return asset
        }
    }
}
