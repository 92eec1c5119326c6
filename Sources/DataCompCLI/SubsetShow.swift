import ArgumentParser
import DataComp
import Foundation

/// `datacomp subset show FILE`.
struct SubsetShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the uids of a subset file, one per line, in file order, or its report.",
        discussion: """
            With --report, prints the JSON report that datacomp filter wrote beside the subset \
            (OUT.report.json for OUT.npy): strategy, parameters, pool files, per-rule counts, \
            thresholds, tool version and time.
            """
    )

    @Flag(help: "Print the subset's report (OUT.report.json beside OUT.npy) instead of its uids.")
    var report = false

    @Argument(help: "The subset file (.npy or raw 16-byte records).")
    var path: String

    func run() throws {
        if report {
            let reportPath = FilterResult.reportPath(forSubsetAt: path)
            guard let data = FileManager.default.contents(atPath: reportPath) else {
                throw DataCompError(
                    .fileNotFound,
                    "the subset has no report beside it; reports are written by datacomp filter (as \((reportPath as NSString).lastPathComponent))",
                    path: reportPath)
            }
            let value: JSONValue
            do {
                value = try JSONValue(parsing: data)
            } catch let error as DataCompError {
                throw error.naming(reportPath)
            }
            let text = value.serialized(indent: 2) + "\n"
            try Array(text.utf8).withUnsafeBytes { try StandardOutput.write($0) }
            return
        }
        let subset = try SubsetFile.read(from: path)
        var buffer = [UInt8](repeating: 0, count: 33 * 4096)
        var used = 0
        for id in subset {
            buffer.withUnsafeMutableBytes { bytes in
                id.writeHex(into: UnsafeMutableRawBufferPointer(rebasing: bytes[used..<(used + 32)]))
                bytes[used + 32] = UInt8(ascii: "\n")
            }
            used += 33
            if used == buffer.count {
                try Self.writeAll(buffer, count: used)
                used = 0
            }
        }
        try Self.writeAll(buffer, count: used)
    }

    private static func writeAll(_ buffer: [UInt8], count: Int) throws {
        try buffer.withUnsafeBytes { bytes in
            try StandardOutput.write(UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
        }
    }
}
