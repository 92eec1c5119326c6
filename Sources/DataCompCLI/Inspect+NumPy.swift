import DataComp

extension Inspect {
    /// A summary of an `.npy` file: dtype, shape, fortran_order, version and data offset.
    static func summarizeNPY(path: String) throws -> JSONValue {
        let header = try NPYHeader(contentsOfFile: path)
        return .object([
            ("format", .string("npy")),
            ("descr", .string(header.dataType.description)),
            ("shape", .array(header.shape.map { .int($0) })),
            ("fortran_order", .bool(header.isFortranOrder)),
            ("version", .string("\(header.version.major).\(header.version.minor)")),
            ("data_offset", .int(header.dataOffset)),
        ])
    }

    /// A summary of an `.npz` file: each member's dtype, shape and storage.
    static func summarizeNPZ(path: String) throws -> JSONValue {
        let archive = try NPZArchive(contentsOfFile: path)
        var members: [JSONValue] = []
        for member in archive.members {
            let array = try archive.array(named: member.name)
            members.append(
                .object([
                    ("key", .string(member.key)),
                    ("descr", .string(array.dataType.description)),
                    ("shape", .array(array.shape.map { .int($0) })),
                    ("compression", .string(member.isCompressed ? "deflated" : "stored")),
                    ("compressed_size", .int(member.compressedSize)),
                    ("size", .int(member.uncompressedSize)),
                ]))
        }
        return .object([("format", .string("npz")), ("members", .array(members))])
    }
}
