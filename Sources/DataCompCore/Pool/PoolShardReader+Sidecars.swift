/// One sidecar Parquet file of a shard: `<directory>/<stem>.parquet`, with a `uid` column and
/// the shard's rows in order.
struct SidecarFile: Sendable {
    let directory: String
    let columns: [PoolColumn]
    let file: ParquetFile

    init(directory: String, columns: [PoolColumn], shard: PoolShard, rows: Int) throws {
        self.directory = directory
        self.columns = columns
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let path = base + shard.stem + ".parquet"
        let names = columns.map(\.name).joined(separator: ", ")
        do {
            file = try ParquetFile(path: path)
        } catch let error as DataCompError where error.code == .fileNotFound {
            throw DataCompError(
                .fileNotFound,
                "the sidecar columns \(names) of shard \(shard.stem) are read from \(path), which does not exist; a sidecar folder needs one <stem>.parquet per metadata shard (as `datacomp embed` writes them)",
                path: path, cause: error)
        }
        try PoolShardReader.checkPresent([.uid] + columns, in: file, role: "sidecar file")
        guard file.rowCount == rows else {
            throw DataCompError(
                .rowCountMismatch,
                "\(shard.parquetPath) has \(rows) rows but its sidecar \(path) has \(file.rowCount); a sidecar lists the shard's rows in the same order",
                path: path)
        }
    }
}

/// Streams a sidecar's row groups alongside the metadata's, whose boundaries may differ.
struct SidecarCursor {
    let file: SidecarFile
    private var nextGroup = 0
    /// The decoded row group holding the next rows, and the shard row it starts at.
    private var current: (start: Int, count: Int, group: DecodedRowGroup)?

    init(file: SidecarFile) {
        self.file = file
    }

    /// The sidecar's columns for `rows` (consecutive, following the previous call's rows), after
    /// checking that the sidecar's uids equal the metadata's `uids` for those rows.
    mutating func values(for rows: Range<Int>, uids: [SampleID]) throws -> (
        values: [PoolColumn: PoolColumnValues], validity: [PoolColumn: RowMask]
    ) {
        var pieces: [(values: [PoolColumn: PoolColumnValues], validity: [PoolColumn: RowMask])] = []
        var row = rows.lowerBound
        while row < rows.upperBound {
            if current == nil || row >= (current?.start ?? 0) + (current?.count ?? 0) { try advance(to: row) }
            guard let current else { break }
            let end = min(rows.upperBound, current.start + current.count)
            pieces.append(current.group.sliced((row - current.start)..<(end - current.start)))
            row = end
        }
        let merged = Self.concatenate(pieces, columns: [.uid] + file.columns, count: rows.count)
        guard case .identifiers(let sidecarUIDs)? = merged.values[.uid] else { return merged }
        if let mismatch = zip(sidecarUIDs, uids).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            throw DataCompError(
                .corruptData,
                "row \(rows.lowerBound + mismatch.offset) of the sidecar has uid \(mismatch.element.0.hexString) but the metadata has \(mismatch.element.1.hexString); a sidecar must list the shard's rows in the same order",
                path: file.file.path, position: .row(rows.lowerBound + mismatch.offset))
        }
        var values = merged.values
        values[.uid] = nil
        return (values, merged.validity)
    }

    private mutating func advance(to row: Int) throws {
        var start = current.map { $0.start + $0.count } ?? 0
        while nextGroup < file.file.rowGroups.count {
            let index = nextGroup
            nextGroup += 1
            let count = file.file.rowGroups[index].rowCount
            if row < start + count {
                let table = try file.file.readRowGroup(
                    index, columns: ([PoolColumn.uid] + file.columns).map(\.name), concurrency: .serial)
                let firstRow = start
                let group = try DataCompError.attributing(to: file.file.path) {
                    try DecodedRowGroup(table: table, columns: [.uid] + file.columns, firstRow: firstRow)
                }
                current = (start, count, group)
                return
            }
            start += count
        }
        throw DataCompError(.truncatedFile, "the sidecar ends before row \(row)", path: file.file.path)
    }

    private static func concatenate(
        _ pieces: [(values: [PoolColumn: PoolColumnValues], validity: [PoolColumn: RowMask])], columns: [PoolColumn],
        count: Int
    ) -> (values: [PoolColumn: PoolColumnValues], validity: [PoolColumn: RowMask]) {
        if pieces.count == 1, let only = pieces.first { return only }
        var values: [PoolColumn: PoolColumnValues] = [:]
        var validity: [PoolColumn: RowMask] = [:]
        for column in columns {
            let parts = pieces.compactMap { $0.values[column] }
            values[column] = PoolColumnValues.concatenating(parts)
            if pieces.contains(where: { $0.validity[column] != nil }) {
                var mask: [Bool] = []
                mask.reserveCapacity(count)
                for piece in pieces {
                    let rows = piece.values[column]?.count ?? 0
                    if let bits = piece.validity[column] {
                        mask += bits
                    } else {
                        mask += repeatElement(true, count: rows)
                    }
                }
                validity[column] = RowMask(mask)
            }
        }
        return (values, validity)
    }
}

extension PoolColumnValues {
    /// The rows of `parts` one after the other; all parts have the same case.
    static func concatenating(_ parts: [PoolColumnValues]) -> PoolColumnValues {
        guard let first = parts.first else { preconditionFailure("nothing to concatenate") }
        if parts.count == 1 { return first }
        switch first {
        case .identifiers:
            return .identifiers(
                parts.flatMap { part -> [SampleID] in if case .identifiers(let v) = part { return v } else { return [] }
                })
        case .integers:
            return .integers(
                parts.flatMap { part -> [Int] in if case .integers(let v) = part { return v } else { return [] } })
        case .floats:
            return .floats(
                parts.flatMap { part -> [Float] in if case .floats(let v) = part { return v } else { return [] } })
        case .doubles:
            return .doubles(
                parts.flatMap { part -> [Double] in if case .doubles(let v) = part { return v } else { return [] } })
        case .booleans:
            return .booleans(
                parts.flatMap { part -> [Bool] in if case .booleans(let v) = part { return v } else { return [] } })
        case .strings:
            var result = StringColumn()
            for case .strings(let part) in parts {
                for row in part.indices { result.append(bytesOf: part.utf8(at: row)) }
            }
            return .strings(result)
        case .faceBoxes:
            var rows: [[[Double]]] = []
            for case .faceBoxes(let part) in parts {
                for row in 0..<part.count { rows.append(part.boxes(at: row)) }
            }
            return .faceBoxes(PoolFaceBoxes(rows))
        case .embeddings:
            preconditionFailure("sidecar files hold no embeddings")
        }
    }
}
