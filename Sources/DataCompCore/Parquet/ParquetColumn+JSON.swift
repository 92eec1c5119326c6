extension ParquetColumn {
    /// The value of row `row` as JSON, as `json.dumps(pyarrow_table.to_pylist())` writes it:
    /// lists as arrays, nulls as `null`, FLOAT widened to double, binary values as lowercase hex.
    ///
    /// - Parameter row: A row in `0..<rowCount`.
    /// - Returns: The row's value.
    public func jsonValue(row: Int) -> JSONValue {
        lists.isEmpty ? leafJSON(row) : listJSON(level: 0, index: row)
    }

    private func listJSON(level: Int, index: Int) -> JSONValue {
        let list = lists[level]
        if let validity = list.validity, !validity[index] { return .null }
        let range = list.offsets[index]..<list.offsets[index + 1]
        if level + 1 == lists.count { return .array(range.map(leafJSON)) }
        return .array(range.map { listJSON(level: level + 1, index: $0) })
    }

    private func leafJSON(_ slot: Int) -> JSONValue {
        if let validity, !validity[slot] { return .null }
        switch values {
        case .boolean(let v): return .bool(v[slot])
        case .int32(let v): return .int(Int(v[slot]))
        case .int64(let v): return .int(Int(v[slot]))
        case .float(let v): return .double(Double(v[slot]))
        case .double(let v): return .double(v[slot])
        case .string(let v): return .string(v[slot])
        case .binary(let v), .fixedLengthBinary(let v):
            let digits: [Character] = Array("0123456789abcdef")
            var text = ""
            for byte in v.utf8(at: slot) {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 15)])
            }
            return .string(text)
        }
    }
}

extension ParquetTable {
    /// Row `row` as a JSON object keyed by column name, in column order.
    ///
    /// Each column is keyed by its top-level field name; when a field has several leaf
    /// columns (a struct), each is keyed by its dotted path.
    ///
    /// - Parameter row: A row in `0..<rowCount`.
    /// - Returns: The row as a JSON object.
    public func jsonRow(_ row: Int) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for column in columns {
            let shared = columns.filter { $0.name == column.name }.count > 1
            members.append((shared ? column.descriptor.dottedPath : column.name, column.jsonValue(row: row)))
        }
        return .object(members)
    }
}
