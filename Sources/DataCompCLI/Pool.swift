import ArgumentParser

/// `datacomp pool`: work with a DataComp candidate pool (a metadata folder of paired
/// `.parquet` + `.npz` files).
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Summarize a DataComp candidate pool (metadata folder of .parquet + .npz files).",
        subcommands: [PoolStats.self]
    )
}
