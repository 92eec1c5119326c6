extension ParquetColumn {
    private static func validity<T>(_ values: [T?]) -> ParquetValidity? {
        guard values.contains(where: { $0 == nil }) else { return nil }
        var bits = ParquetValidity()
        for value in values { bits.append(value != nil) }
        return bits
    }

    /// A nullable UTF-8 string column.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - values: The values; `nil` is null.
    /// - Returns: A flat column.
    public static func strings(_ name: String, _ values: [String?]) -> ParquetColumn {
        ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .byteArray, isString: true),
            values: .string(StringColumn(values.map { $0 ?? "" })), validity: validity(values))
    }

    /// A nullable INT64 column.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - values: The values; `nil` is null.
    /// - Returns: A flat column.
    public static func int64(_ name: String, _ values: [Int64?]) -> ParquetColumn {
        ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .int64),
            values: .int64(values.map { $0 ?? 0 }), validity: validity(values))
    }

    /// A nullable INT32 column.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - values: The values; `nil` is null.
    /// - Returns: A flat column.
    public static func int32(_ name: String, _ values: [Int32?]) -> ParquetColumn {
        ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .int32),
            values: .int32(values.map { $0 ?? 0 }), validity: validity(values))
    }

    /// A nullable FLOAT column.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - values: The values; `nil` is null.
    /// - Returns: A flat column.
    public static func float(_ name: String, _ values: [Float?]) -> ParquetColumn {
        ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .float),
            values: .float(values.map { $0 ?? 0 }), validity: validity(values))
    }

    /// A nullable DOUBLE column.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - values: The values; `nil` is null.
    /// - Returns: A flat column.
    public static func double(_ name: String, _ values: [Double?]) -> ParquetColumn {
        ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .double),
            values: .double(values.map { $0 ?? 0 }), validity: validity(values))
    }

    /// A nullable BOOLEAN column.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - values: The values; `nil` is null.
    /// - Returns: A flat column.
    public static func boolean(_ name: String, _ values: [Bool?]) -> ParquetColumn {
        ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .boolean),
            values: .boolean(values.map { $0 ?? false }), validity: validity(values))
    }

    /// A `list<list<double>>` column such as DataComp's `face_bboxes`; every level is nullable.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - rows: Per row, a list of inner lists (`nil` is a null list).
    /// - Returns: A column with two list levels.
    public static func doubleListLists(_ name: String, _ rows: [[[Double]?]?]) -> ParquetColumn {
        var outer = ParquetListLevel(offsets: [0])
        var inner = ParquetListLevel(offsets: [0])
        var outerValidity = ParquetValidity()
        var innerValidity = ParquetValidity()
        var values: [Double] = []
        for row in rows {
            outerValidity.append(row != nil)
            for list in row ?? [] {
                innerValidity.append(list != nil)
                values.append(contentsOf: list ?? [])
                inner.offsets.append(values.count)
            }
            outer.offsets.append(inner.offsets.count - 1)
        }
        outer.validity = outerValidity.nullCount == 0 ? nil : outerValidity
        inner.validity = innerValidity.nullCount == 0 ? nil : innerValidity
        return ParquetColumn(
            descriptor: ParquetColumnDescriptor(name: name, physicalType: .double, listNullability: [true, true]),
            values: .double(values), lists: [outer, inner])
    }
}
