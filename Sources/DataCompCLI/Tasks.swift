import ArgumentParser
import DataComp
import Foundation

/// `datacomp tasks [--data-dir DIR]`.
struct Tasks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List DataComp's 40 evaluation tasks, and which eval sets a folder holds.",
        discussion: """
            Prints each task's key, display name, type, main metric, size and eval-set folder name \
            (as download_evalsets.py names it; Flickr, MSCOCO and WinoGAViL live in its Hugging Face \
            cache, hf_cache). With --data-dir, marks the tasks whose folder is \
            present there.
            """
    )

    @Option(name: [.customLong("data-dir"), .customLong("data_dir")], help: "A folder of eval sets to check.")
    var dataDirectory: String?

    func run() throws {
        let suite = dataDirectory.map(EvaluationSuite.init(dataDirectory:))
        var lines = [
            [suite == nil ? "" : "here", "key", "name", "type", "main metric", "size", "folder"]
        ]
        for task in EvaluationTask.all {
            lines.append([
                suite.map { $0.isPresent(task) ? "yes" : "-" } ?? "", task.key, task.name, task.kind.rawValue,
                task.mainMetric ?? "(not scored)", String(task.size),
                task.huggingFaceDataset.map {
                    "hf_cache/" + $0.replacingOccurrences(of: "/", with: "___") + " or " + task.folderName
                }
                    ?? task.folderName,
            ])
        }
        if suite == nil { lines = lines.map { Array($0.dropFirst()) } }
        var text = Table.render(lines)
        if let suite {
            let present = EvaluationTask.all.filter(suite.isPresent)
            text += "\n\(present.count) of \(EvaluationTask.all.count) eval sets present in \(suite.dataDirectory)"
            text += " (\(present.filter(\.isScored).count) of 38 scored)\n"
        }
        print(text, terminator: "")
    }
}

/// `datacomp aggregate FILE.jsonl`.
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Print DataComp's aggregate scores of an eval_results.jsonl, as aggregate_scores.py.",
        discussion: """
            Prints ImageNet, ImageNet dist. shifts, VTAB, Retrieval and Average with three decimals. \
            aggregate_scores.py refuses a file without exactly 38 scored tasks; here such a file \
            gives a partial aggregate over the tasks present, labelled PARTIAL with the missing tasks.
            """
    )

    @Option(name: .customLong("input"), help: "The results file (as aggregate_scores.py --input).")
    var input: String?

    @Argument(help: "The results file.")
    var path: String?

    func validate() throws {
        if (input == nil) == (path == nil) {
            throw ValidationError("give the results file once, as an argument or with --input")
        }
    }

    func run() throws {
        guard let file = input ?? path else { return }
        let scores = AggregateScores(file: try existingResults(file))
        print(scores.report())
    }
}

/// `datacomp compare A.jsonl B.jsonl`.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Tell, per task and for the averages, whether two runs differ by more than the noise.",
        discussion: """
            Compares the main metrics of two eval_results.jsonl files. A difference counts as \
            larger than the noise when it exceeds the combined 95% uncertainty of both runs: the \
            bootstrap intervals that datacomp evaluate writes to eval_intervals.jsonl beside each \
            results file or, where absent, the binomial approximation 1.96·sqrt(p(1−p)/n). Seed \
            noise of training (up to 0.006 on the average, says DataComp) is not included.
            """
    )

    @Argument(help: "Run A's eval_results.jsonl.")
    var a: String

    @Argument(help: "Run B's eval_results.jsonl.")
    var b: String

    func run() throws {
        func intervals(_ path: String) throws -> IntervalsFile? {
            let intervalsPath = IntervalsFile.path(besideResults: path)
            return FileManager.default.fileExists(atPath: intervalsPath) ? try IntervalsFile(path: intervalsPath) : nil
        }
        let comparison = RunComparison(
            a: try existingResults(a).results, b: try existingResults(b).results,
            intervalsA: try intervals(a), intervalsB: try intervals(b))
        print(comparison.report())
    }
}

/// A results file that must exist.
func existingResults(_ path: String) throws -> EvaluationResultsFile {
    guard FileManager.default.fileExists(atPath: path) else {
        throw DataCompError(
            .fileNotFound, "no results file here; datacomp evaluate writes eval_results.jsonl in its --output-dir",
            path: path)
    }
    return try EvaluationResultsFile(path: path)
}
