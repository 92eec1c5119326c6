import DataCompCore

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer's entry point when the program has its own `main` (SwiftPM executables do).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The one input handler of the running fuzz target.
nonisolated(unsafe) private var handler: ((UnsafeRawBufferPointer) throws -> Void)?

/// Runs libFuzzer on `body`: every input either parses or throws `DataCompError`; any other
/// error is reported as a crash, and so is any trap inside the package (a precondition reached
/// from file data), which libFuzzer records with the input that caused it.
public enum FuzzDriver {
    /// Starts libFuzzer with the process's arguments and never returns.
    ///
    /// - Parameter body: Parses one input.
    public static func run(_ body: @escaping (UnsafeRawBufferPointer) throws -> Void) -> Never {
        handler = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let bytes = UnsafeRawBufferPointer(start: data, count: size)
            do {
                try handler?(bytes)
            } catch is DataCompError {
                // The documented outcome for bad input.
            } catch {
                fatalError("an error that is not a DataCompError: \(error)")
            }
            return 0
        }
        exit(status)
    }

    /// Writes `bytes` to a per-process temporary file and returns its path (for readers that
    /// take a path).
    public static func temporaryFile(_ bytes: UnsafeRawBufferPointer, suffix: String) -> String {
        let path = "/tmp/datacomp-fuzz-\(getpid())\(suffix)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot create \(path)")
        if let base = bytes.baseAddress { _ = write(descriptor, base, bytes.count) }
        close(descriptor)
        return path
    }
}
