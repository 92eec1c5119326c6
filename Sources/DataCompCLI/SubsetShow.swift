import ArgumentParser
import DataComp

/// `datacomp subset show FILE`.
struct SubsetShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the uids of a subset file, one per line, in file order."
    )

    @Argument(help: "The subset file (.npy or raw 16-byte records).")
    var path: String

    func run() throws {
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
