/// The one error type thrown by every DataComp module.
///
/// A `DataCompError` says what went wrong, where (the file and the byte offset, row or member
/// inside it) and how to fix it. Match on ``code`` to react programmatically; show
/// ``description`` to people.
///
/// ```swift
/// do {
///     let subset = try SubsetFile.read(from: url)
/// } catch let error as DataCompError where error.code == .unsortedData {
///     print(error)   // names the file, the first out-of-order row and the fix
/// }
/// ```
public struct DataCompError: Error, Sendable, CustomStringConvertible {
    /// A category of failure.
    ///
    /// New codes may be added in later releases; do not switch over them
    /// exhaustively.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Representation: String, Hashable, Sendable {
            case io
            case fileNotFound
            case truncatedFile
            case corruptData
            case invalidFormat
            case unsupportedFormat
            case unsupportedDataType
            case dtypeMismatch
            case shapeMismatch
            case rowCountMismatch
            case unsortedData
            case invalidArgument
            case missingMember
            case invalidIdentifier
            case imageDecodingFailed
            case imageEncodingFailed
            case missingAsset
            case checksumMismatch
            case externalToolFailed
            case trainingDiverged
        }

        private let representation: Representation

        private init(_ representation: Representation) {
            self.representation = representation
        }

        /// Reading, writing, opening or renaming a file failed at the operating-system level.
        public static let io = Code(.io)
        /// A file or folder that was named does not exist.
        public static let fileNotFound = Code(.fileNotFound)
        /// A file ends before the structure it declares is complete.
        public static let truncatedFile = Code(.truncatedFile)
        /// A file's content contradicts itself (bad checksum, impossible sizes, bad compression).
        public static let corruptData = Code(.corruptData)
        /// A file is not in the format it was expected to be in (wrong magic, unparsable header).
        public static let invalidFormat = Code(.invalidFormat)
        /// A valid file uses a feature of its format that this package does not read.
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// An array or tensor has an element type that this package does not handle.
        public static let unsupportedDataType = Code(.unsupportedDataType)
        /// An array has a different element type than the caller asked for.
        public static let dtypeMismatch = Code(.dtypeMismatch)
        /// An array or tensor has a different shape than the caller asked for.
        public static let shapeMismatch = Code(.shapeMismatch)
        /// Two files that must describe the same rows do not have the same number of rows.
        public static let rowCountMismatch = Code(.rowCountMismatch)
        /// Data that must be sorted is not.
        public static let unsortedData = Code(.unsortedData)
        /// A value the caller passed does not fit the data or environment it refers to (for
        /// example a path that names a file where a folder is expected, or a column that cannot
        /// be read).
        ///
        /// Arguments that are wrong whatever the data are preconditions and trap.
        public static let invalidArgument = Code(.invalidArgument)
        /// A file has no array, column, member or tensor of the name asked for; the message lists
        /// the names it has.
        public static let missingMember = Code(.missingMember)
        /// A sample identifier is not 32 hexadecimal characters.
        public static let invalidIdentifier = Code(.invalidIdentifier)
        /// An image could not be decoded.
        public static let imageDecodingFailed = Code(.imageDecodingFailed)
        /// An image could not be encoded.
        public static let imageEncodingFailed = Code(.imageEncodingFailed)
        /// An external asset (vocabulary, model file) could not be found or fetched.
        public static let missingAsset = Code(.missingAsset)
        /// A file's SHA-256 differs from the expected one.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// A program this package launched (OpenCLIP's trainer, `sbatch`) could not start or
        /// exited with a failure; the message gives its command and the end of its output.
        public static let externalToolFailed = Code(.externalToolFailed)
        /// A training step produced a non-finite loss; the run stopped and kept its last
        /// checkpoint.
        public static let trainingDiverged = Code(.trainingDiverged)

        /// The code's name, for example `truncatedFile`.
        public var description: String { representation.rawValue }
    }

    /// A place inside a file where a problem was found: a byte offset, a row, a member of an
    /// archive, a byte offset inside a member, or a line.
    ///
    /// New kinds of position may be added in later releases; read one with ``offset``, ``row``,
    /// ``member`` and ``line`` rather than assuming a fixed set.
    public struct Position: Hashable, Sendable, CustomStringConvertible {
        private enum Representation: Hashable, Sendable {
            case offset(Int)
            case row(Int)
            case member(String)
            case memberOffset(String, Int)
            case line(Int)
        }

        private let representation: Representation

        private init(_ representation: Representation) {
            self.representation = representation
        }

        /// A byte offset from the start of the file.
        ///
        /// - Parameter offset: The offset.
        /// - Returns: The position.
        public static func offset(_ offset: Int) -> Position { Position(.offset(offset)) }
        /// A zero-based row (record, array element) index.
        ///
        /// - Parameter row: The row.
        /// - Returns: The position.
        public static func row(_ row: Int) -> Position { Position(.row(row)) }
        /// A named member of an archive (a tar member, an NPZ member, a safetensors tensor).
        ///
        /// - Parameter name: The member's name.
        /// - Returns: The position.
        public static func member(_ name: String) -> Position { Position(.member(name)) }
        /// A named member and a byte offset inside it.
        ///
        /// - Parameters:
        ///   - name: The member's name.
        ///   - offset: The offset from the start of the member's data.
        /// - Returns: The position.
        public static func memberOffset(_ name: String, _ offset: Int) -> Position {
            Position(.memberOffset(name, offset))
        }
        /// A one-based line number of a text file.
        ///
        /// - Parameter line: The line.
        /// - Returns: The position.
        public static func line(_ line: Int) -> Position { Position(.line(line)) }

        /// The byte offset, from the start of the file or (with a ``member``) of the member.
        public var offset: Int? {
            switch representation {
            case .offset(let offset), .memberOffset(_, let offset): offset
            default: nil
            }
        }

        /// The zero-based row, if the position is a row.
        public var row: Int? {
            if case .row(let row) = representation { return row }
            return nil
        }

        /// The archive member, if the position names one.
        public var member: String? {
            switch representation {
            case .member(let name), .memberOffset(let name, _): name
            default: nil
            }
        }

        /// The one-based line, if the position is a line.
        public var line: Int? {
            if case .line(let line) = representation { return line }
            return nil
        }

        /// A short human-readable form, for example `byte offset 128` or `row 7`.
        public var description: String {
            switch representation {
            case .offset(let offset): "byte offset \(offset)"
            case .row(let row): "row \(row)"
            case .member(let name): "member '\(name)'"
            case .memberOffset(let name, let offset): "member '\(name)', byte offset \(offset)"
            case .line(let line): "line \(line)"
            }
        }
    }

    /// The category of the failure.
    public var code: Code
    /// What happened and, where possible, how to fix it.
    public var message: String
    /// The file the problem is in, if a file is involved.
    public var path: String?
    /// Where inside ``path`` the problem was found.
    public var position: Position?
    /// A lower-level error that caused this one, if any.
    public var cause: (any Error & Sendable)?
    /// The source file of the throw site, for bug reports.
    public var sourceFile: String
    /// The source line of the throw site, for bug reports.
    public var sourceLine: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The category of the failure.
    ///   - message: What happened and how to fix it.
    ///   - path: The file the problem is in, if any.
    ///   - position: Where inside the file the problem was found.
    ///   - cause: A lower-level error that caused this one.
    ///   - sourceFile: The throw site's file; leave the default.
    ///   - sourceLine: The throw site's line; leave the default.
    public init(
        _ code: Code,
        _ message: String,
        path: String? = nil,
        position: Position? = nil,
        cause: (any Error & Sendable)? = nil,
        sourceFile: String = #fileID,
        sourceLine: Int = #line
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.position = position
        self.cause = cause
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    /// A one-line description: `path (position): message [code]`.
    public var description: String {
        var text = ""
        if let path { text += path }
        if let position { text += text.isEmpty ? "\(position)" : " (\(position))" }
        if !text.isEmpty { text += ": " }
        text += message
        text += " [\(code)]"
        if let cause { text += " (caused by: \(cause))" }
        return text
    }

    /// Returns a copy of this error that names `path`, unless it already names a file.
    ///
    /// Readers that work on in-memory bytes throw errors without a path; the function that
    /// opened the file adds it with this method.
    public func naming(_ path: String) -> DataCompError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }
}

extension DataCompError {
    /// Runs `body`, adding `path` to any ``DataCompError`` it throws that names no file.
    package static func attributing<T>(to path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DataCompError {
            throw error.naming(path)
        }
    }
}
