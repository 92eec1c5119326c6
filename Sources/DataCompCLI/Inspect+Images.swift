import DataComp

extension Inspect {
    /// `{"format": "JPEG", "width": …, "height": …, "mode": "RGB"}` for a JPEG, PNG or WebP file,
    /// read from its header (format and mode named as Pillow names them).
    static func summarizeImage(path: String) throws -> JSONValue {
        let info = try ImageInfo(contentsOfFile: path)
        return .object([
            ("format", .string(info.format.rawValue)),
            ("width", .int(info.width)),
            ("height", .int(info.height)),
            ("mode", .string(info.mode.rawValue)),
        ])
    }
}
