import Foundation

/// Runs the `datacomp` executable built next to the test binary.
public enum CommandRunner {
    /// The output of one run.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var standardOutput: String
        /// Everything written to standard error.
        public var standardError: String

        /// A result with the given fields.
        public init(status: Int32, standardOutput: String, standardError: String) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
        }
    }

    /// The `datacomp` binary in the same build folder as the running test bundle.
    public static var executable: URL {
        let selfPath =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: selfPath).deletingLastPathComponent()
        // The test binary may sit inside `<name>.xctest/` on some platforms.
        if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("datacomp")
    }

    /// Runs `datacomp` with `arguments` and waits for it.
    public static func run(_ arguments: [String], standardInput: String? = nil) throws -> Result {
        try run(executable: executable, arguments, standardInput: standardInput)
    }

    /// Runs any executable with `arguments` and waits for it, reading both output pipes.
    ///
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - standardInput: Text written to its standard input, if any.
    ///   - currentDirectory: The folder it runs in (the test's by default).
    /// - Returns: The exit status and both outputs.
    /// - Throws: When the program cannot be started.
    public static func run(
        executable: URL, _ arguments: [String], standardInput: String? = nil, currentDirectory: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so that a full pipe cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}
