import ArgumentParser

/// `datacomp subset`: create and print DataComp subset files.
struct SubsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subset",
        abstract: "Create and print subset files (sorted u8,u8 uid arrays in .npy format).",
        subcommands: [SubsetCreate.self, SubsetShow.self]
    )
}
