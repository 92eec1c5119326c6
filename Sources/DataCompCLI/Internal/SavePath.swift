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
