import DataComp
import Foundation

/// Creates the folder that will hold `path`, as baselines.py creates the parent of --save_path.
func createParent(of path: String) throws {
    let parent = (path as NSString).deletingLastPathComponent
    guard !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) else { return }
    do {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    } catch {
        throw DataCompError(.io, "cannot create the folder of --save-path: \(error.localizedDescription)", path: parent)
    }
}

/// Writes a filter result to `savePath` (its folder created first) and says on standard error
/// what was kept and which files were written, after `prefix`.
func write(_ result: FilterResult, to savePath: String, prefix: String = "") throws {
    try createParent(of: savePath)
    try result.write(to: savePath)
    let report = result.report
    FileHandle.standardError.write(
        Data(
            "\(prefix)kept \(report.samplesKept) of \(report.samplesSeen) samples; wrote \(savePath) and \(FilterResult.reportPath(forSubsetAt: savePath))\n"
                .utf8))
}
