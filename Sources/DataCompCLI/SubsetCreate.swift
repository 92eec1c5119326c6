import ArgumentParser
import DataComp

/// `datacomp subset create --uids FILE --output OUT.npy`.
struct SubsetCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Build a subset .npy file from a text file of hex uids.",
        discussion: """
            The text file holds one 32-digit hex uid per line; blank lines are ignored and \
            duplicates are kept (each copy makes the resharder emit the sample once more). The \
            output is sorted and byte-identical to NumPy's np.save of the u8,u8 array.
            """
    )

    @Option(name: .long, help: "Text file with one hex uid per line.")
    var uids: String

    @Option(name: .long, help: "The subset file to write (.npy).")
    var output: String

    func run() throws {
        let ids = try SampleID.readList(fromTextFile: uids)
        try SubsetFile.write(ids, to: output)
    }
}
