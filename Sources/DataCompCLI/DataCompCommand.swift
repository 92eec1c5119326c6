import ArgumentParser

@main
struct DataCompCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datacomp",
        abstract: "DataComp for Swift: inspect, build and preprocess DataComp files.",
        discussion: """
            Every file this tool writes is in the format the Python DataComp, OpenCLIP and \
            webdataset tools use, so you can mix both at any step.
            """,
        subcommands: [
            Inspect.self, SubsetCommand.self, PoolCommand.self, Filter.self, Export.self, Tokenize.self,
            Preprocess.self,
            CopyShards.self, MergeSubsets.self, Reshard.self, KMeansCommand.self, Dedup.self, Train.self, Embed.self,
            Evaluate.self,
            Tasks.self,
            Aggregate.self, Compare.self, AssetsCommand.self,
            Demo.self,
        ]
    )
}
