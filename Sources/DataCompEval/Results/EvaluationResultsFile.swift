import Foundation

/// DataComp's `eval_results.jsonl`: one ``EvaluationResult`` per line, appended task by task.
///
/// Every change rewrites the file under a temporary name and renames it into place, so a run
/// killed at any moment leaves the previous complete file; a rerun finds the tasks already done
/// (by key, as `evaluate.py` does) and skips them unless asked to overwrite. Lines for keys
/// DataComp does not know are kept but not counted as done.
///
/// ```swift
/// var file = try EvaluationResultsFile(path: "out/eval_results.jsonl")
/// if !file.contains(key: "cifar10") {
///     try file.append(EvaluationResult(key: "cifar10", dataset: "CIFAR-10", metrics: ["acc1": 0.9, "main_metric": 0.9]))
/// }
/// ```
public struct EvaluationResultsFile: Sendable {
    /// The file's path.
    public let path: String
    /// The rows in file order.
    public private(set) var results: [EvaluationResult]

    /// Opens a results file, reading its rows if it exists.
    ///
    /// - Parameter path: The `eval_results.jsonl` path.
    /// - Throws: `DataCompError` naming the file and line of a row that is not valid JSON or
    ///   not a result row.
    public init(path: String) throws {
        self.path = path
        results = []
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataCompError(.io, "cannot read the results file", path: path)
        }
        for (index, line) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                results.append(try EvaluationResult(json: JSONValue(parsing: String(trimmed))))
            } catch let error as DataCompError {
                throw DataCompError(
                    error.code, "\(error.message); remove or repair the line (each line is one task's result)",
                    path: path,
                    position: .line(index + 1))
            }
        }
    }

    /// Whether a row for this task key exists.
    ///
    /// - Parameter key: A task key.
    /// - Returns: Whether it is present.
    public func contains(key: String) -> Bool { results.contains { $0.key == key } }

    /// The last row for this task key.
    ///
    /// - Parameter key: A task key.
    /// - Returns: The row, or `nil`.
    public func result(for key: String) -> EvaluationResult? { results.last { $0.key == key } }

    /// Appends a row (replacing earlier rows of the same key) and rewrites the file atomically.
    ///
    /// - Parameter result: The row.
    /// - Throws: `DataCompError` when the file cannot be written.
    public mutating func append(_ result: EvaluationResult) throws {
        results.removeAll { $0.key == result.key }
        results.append(result)
        try save()
    }

    /// Removes every row and rewrites the file (empty) atomically.
    ///
    /// - Throws: `DataCompError` when the file cannot be written.
    public mutating func removeAll() throws {
        results = []
        try save()
    }

    private func save() throws {
        let text = results.map { $0.line + "\n" }.joined()
        try AtomicFile.write(Array(text.utf8), to: path)
    }
}
