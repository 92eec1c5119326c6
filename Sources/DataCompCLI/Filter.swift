import ArgumentParser
import DataComp
import Foundation

/// `datacomp filter --name NAME --metadata-dir DIR --save-path OUT.npy [...]`: DataComp's
/// `baselines.py`.
struct Filter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a DataComp baseline filter over a pool and write the subset (.npy) with a report.",
        discussion: """
            Mirrors DataComp's baselines.py: the same names, flags (their underscore spellings \
            are accepted too) and argument checks, and the same subset file (sorted u8,u8 uids, \
            byte-identical to np.save). A fraction keeps the top of the whole pool as \
            get_threshold does: with n = int(pool size × fraction) the threshold is the \
            (n+1)-th largest score and every sample scoring at least that much is kept. Beside \
            OUT.npy the run writes OUT.report.json: the strategy, its parameters, what each rule \
            saw and kept, the thresholds, the pool's files and the time.
            """
    )

    @Option(help: "The baseline: \(DataCompBaseline.Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @Option(
        name: [.customLong("metadata-dir"), .customLong("metadata_dir")],
        help: "The metadata folder (non-recursive; *.parquet files paired with *.npz).")
    var metadataDirectory: String

    @Option(name: [.customLong("save-path"), .customLong("save_path")], help: "The subset file to write (.npy).")
    var savePath: String

    @Option(help: "Keep samples whose CLIP score is at least this (clip_score).")
    var threshold: Float?

    @Option(help: "Keep this top fraction of the pool by CLIP score, in (0, 1] (clip_score).")
    var fraction: Double?

    @Option(help: "Which CLIP score: b32 or l14 (clip_score).")
    var arch: String?

    @Option(
        name: [.customLong("num-workers"), .customLong("num_workers")],
        help: "How many metadata files are read at once (default: the number of cores).")
    var numWorkers: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        guard let baselineName = DataCompBaseline.Name(rawValue: name) else {
            let names = DataCompBaseline.Name.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--name must be one of: \(names) (got '\(name)')")
        }
        var architecture: DataCompBaseline.Architecture?
        if let arch {
            guard let value = DataCompBaseline.Architecture(rawValue: arch) else {
                throw ValidationError("--arch must be b32 or l14 (got '\(arch)')")
            }
            architecture = value
        }
        guard numWorkers > 0 else { throw ValidationError("--num-workers must be positive") }
        let baseline = DataCompBaseline(
            name: baselineName, arch: architecture, threshold: threshold, fraction: fraction)
        let strategy = try baseline.strategy(resolver: .commandLine())
        let pool = try CandidatePool(metadataDirectory: metadataDirectory)
        let parent = (savePath as NSString).deletingLastPathComponent
        if !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw DataCompError(
                    .io, "cannot create the folder of --save-path: \(error.localizedDescription)", path: parent)
            }
        }
        let result = try await strategy.run(
            on: pool, concurrency: ConcurrencyBudget(width: numWorkers), progress: TerminalProgressReporter())
        try result.write(to: savePath)
        let report = result.report
        FileHandle.standardError.write(
            Data(
                "kept \(report.samplesKept) of \(report.samplesSeen) samples; wrote \(savePath) and \(FilterResult.reportPath(forSubsetAt: savePath))\n"
                    .utf8))
    }
}
