internal import DataCompKernels

extension ParquetColumn {
    /// The value of row `row` as JSON, as `json.dumps(row, default=str)` writes pyarrow's
    /// `to_pylist()` rows: lists as arrays, nulls as `null`, FLOAT widened to double, unsigned
    /// integers as unsigned, decimals, dates, times and timestamps as Python's `str()` of the
    /// value pyarrow returns (`"1.23"`, `"2024-01-02"`, `"2024-01-02 03:04:05.123456+00:00"`;
    /// nanosecond timestamps as `pandas.Timestamp` prints them), INT96 as a nanosecond
    /// timestamp; binary values as lowercase hex, float16 as a number and UUIDs as
    /// `8-4-4-4-12` hex (where Python would print a bytes or numpy repr).
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
        let logical = descriptor.logicalType
        switch values {
        case .boolean(let v): return .bool(v[slot])
        case .int32(let v): return Self.integerJSON(Int64(v[slot]), bits: 32, logical: logical)
        case .int64(let v): return Self.integerJSON(v[slot], bits: 64, logical: logical)
        case .float(let v): return .double(Double(v[slot]))
        case .double(let v): return .double(v[slot])
        case .string(let v): return .string(v[slot])
        case .binary(let v), .fixedLengthBinary(let v):
            let bytes = v.utf8(at: slot)
            switch logical {
            case .decimal(_, let scale)?:
                let (negative, digits) = ParquetValueFormatting.bigEndianTwosComplement(bytes)
                return .string(ParquetValueFormatting.decimalString(negative: negative, digits: digits, scale: scale))
            case .string?, .enumeration?, .json?:
                return .string(v[slot])
            case .float16? where bytes.count == 2:
                let bits = UInt16(bytes[bytes.startIndex]) | UInt16(bytes[bytes.startIndex + 1]) << 8
                return .double(Double(HalfPrecision.widen(bits)))
            case .uuid? where bytes.count == 16:
                let hex = Array(ParquetValueFormatting.hex(bytes))
                let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }
                return .string(groups.joined(separator: "-"))
            default:
                if descriptor.physicalType == .int96, let nanoseconds = ParquetValueFormatting.int96Nanoseconds(bytes) {
                    return .string(
                        ParquetValueFormatting.timestamp(nanoseconds, unit: .nanoseconds, isAdjustedToUTC: false))
                }
                return .string(ParquetValueFormatting.hex(bytes))
            }
        }
    }

    private static func integerJSON(_ value: Int64, bits: Int, logical: ParquetLogicalType?) -> JSONValue {
        switch logical {
        case .integer(_, false)?:
            let unsigned = bits == 32 ? UInt64(UInt32(truncatingIfNeeded: value)) : UInt64(bitPattern: value)
            return unsigned <= UInt64(Int.max) ? .int(Int(unsigned)) : .uint(unsigned)
        case .decimal(_, let scale)?:
            let negative = value < 0
            return .string(
                ParquetValueFormatting.decimalString(negative: negative, digits: String(value.magnitude), scale: scale))
        case .date?:
            return .string(ParquetValueFormatting.date(days: value))
        case .timestamp(let unit, let utc)?:
            return .string(ParquetValueFormatting.timestamp(value, unit: unit, isAdjustedToUTC: utc))
        case .time(let unit, _)?:
            return .string(ParquetValueFormatting.time(value, unit: unit))
        default:
            return .int(Int(value))
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
