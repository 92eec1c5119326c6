extension ParquetTable {
    /// Rows `rows` of every column (copies), for writing row groups.
    func slicedForWriting(_ rows: Range<Int>) -> ParquetTable {
        if rows == 0..<rowCount { return self }
        return ParquetTable(rowCount: rows.count, columns: columns.map { $0.sliced(rows: rows) })
    }
}

extension ParquetColumn {
    /// Rows `rows` of this column as a new column with rebased offsets.
    package func sliced(rows: Range<Int>) -> ParquetColumn {
        var lists: [ParquetListLevel] = []
        var lower = rows.lowerBound
        var upper = rows.upperBound
        for list in self.lists {
            let base = list.offsets[lower]
            var level = ParquetListLevel(offsets: list.offsets[lower...upper].map { $0 - base })
            if let validity = list.validity {
                var bits = ParquetValidity()
                for i in lower..<upper { bits.append(validity[i]) }
                level.validity = bits
            }
            lists.append(level)
            lower = list.offsets[lower]
            upper = list.offsets[upper]
        }
        var validity: ParquetValidity?
        if let source = self.validity {
            var bits = ParquetValidity()
            for i in lower..<upper { bits.append(source[i]) }
            validity = bits
        }
        let slots = lower..<upper
        func bytes(_ v: StringColumn) -> StringColumn {
            let base = v.offsets[slots.lowerBound]
            return StringColumn(
                bytes: Array(v.bytes[base..<v.offsets[slots.upperBound]]),
                offsets: v.offsets[slots.lowerBound...slots.upperBound].map { $0 - base })
        }
        let values: Values =
            switch self.values {
            case .boolean(let v): .boolean(Array(v[slots]))
            case .int32(let v): .int32(Array(v[slots]))
            case .int64(let v): .int64(Array(v[slots]))
            case .float(let v): .float(Array(v[slots]))
            case .double(let v): .double(Array(v[slots]))
            case .string(let v): .string(bytes(v))
            case .binary(let v): .binary(bytes(v))
            case .fixedLengthBinary(let v): .fixedLengthBinary(bytes(v))
            }
        return ParquetColumn(descriptor: descriptor, values: values, validity: validity, lists: lists)
    }
}
