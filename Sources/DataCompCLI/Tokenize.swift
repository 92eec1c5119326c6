import ArgumentParser
import DataComp
import Foundation

/// `datacomp tokenize --input FILE --output OUT.npy [--context-length 77]`: OpenCLIP's CLIP
/// tokenizer over one caption per line.
struct Tokenize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize captions (one per line) with OpenCLIP's CLIP tokenizer into an int64 .npy.",
        discussion: """
            Each line of the UTF-8 input (split on \\n; a final newline ends the last caption) \
            becomes one row of the int64 [N, CONTEXT] output, identical to \
            open_clip.tokenize(lines, context_length=CONTEXT). The BPE vocabulary is \
            resolved as `datacomp assets` describes (--vocabulary, $DATACOMP_BPE_VOCAB, the \
            cache, then pip).
            """
    )

    @Option(help: "A UTF-8 text file with one caption per line.")
    var input: String

    @Option(help: "The .npy file to write (int64, shape [N, context-length]).")
    var output: String

    @Option(help: "Tokens per row (OpenCLIP's default is 77).")
    var contextLength: Int = CLIPTokenizer.defaultContextLength

    @Option(help: "The bpe_simple_vocab_16e6.txt.gz to use instead of resolving it.")
    var vocabulary: String?

    @Option(help: "The number of captions tokenized at once (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard contextLength >= 1 else { throw ValidationError("--context-length must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let resolver = AssetResolver.commandLine()
        let tokenizer = try CLIPTokenizer(
            vocabularyAt: try resolver.path(for: .clipVocabulary, explicitPath: vocabulary))
        let captions = try CaptionFile.lines(of: input)
        let tokens = await tokenizer.tokenize(
            captions, contextLength: contextLength, concurrency: ConcurrencyBudget(width: threads))
        // Written straight from the ids (no second copy of a possibly large matrix); the bytes are
        // what NPYArray(shape:scalars:).write(to:) and np.save produce.
        try AtomicFile.write(to: output) { sink in
            try sink.write(NPYHeader.encoded(dataType: .int64, shape: tokens.shape))
            try tokens.ids.withUnsafeBytes { try sink.write($0) }
        }
    }
}

/// Reads a caption file: UTF-8, one caption per `\n`-terminated line.
enum CaptionFile {
    /// The lines of `path`; a trailing `\n` does not start an extra empty caption.
    ///
    /// - Throws: `DataCompError` naming the line when it is not valid UTF-8.
    static func lines(of path: String) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataCompError(
                .fileNotFound, "cannot read the caption file: \(error.localizedDescription)", path: path)
        }
        var lines: [String] = []
        var lineNumber = 0
        var failure: DataCompError?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard let line = String(validating: slice, as: UTF8.self) else {
                    failure = DataCompError(
                        .invalidFormat, "the line is not valid UTF-8; captions must be UTF-8 text", path: path,
                        position: .line(lineNumber))
                    return
                }
                lines.append(line)
                start = end + 1
            }
        }
        if let failure { throw failure }
        return lines
    }
}
