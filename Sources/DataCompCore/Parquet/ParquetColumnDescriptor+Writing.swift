extension ParquetColumnDescriptor {
    /// Describes a column to write: a top-level field, optionally nested in lists.
    ///
    /// Lists use the standard three-level LIST encoding (`name` / `list` / `element`), as
    /// pyarrow writes them.
    ///
    /// - Parameters:
    ///   - name: The field name.
    ///   - physicalType: The leaf type (INT96 is not written).
    ///   - isString: Whether BYTE_ARRAY values are UTF-8 text (logical type STRING).
    ///   - isNullable: Whether leaf values may be null.
    ///   - listNullability: One entry per list level, outermost first: whether lists at that
    ///     level may be null. Empty for a flat column.
    ///   - typeLength: The byte length of FIXED_LEN_BYTE_ARRAY values.
    public init(
        name: String, physicalType: ParquetPhysicalType, isString: Bool = false, isNullable: Bool = true,
        listNullability: [Bool] = [], typeLength: Int? = nil
    ) {
        var path = [name]
        var def = 0
        var levels: [Int] = []
        for nullable in listNullability {
            if nullable { def += 1 }
            def += 1
            levels.append(def)
            path += ["list", "element"]
        }
        if isNullable { def += 1 }
        self.init(
            path: path, physicalType: physicalType, typeLength: typeLength, isString: isString,
            maxDefinitionLevel: def, maxRepetitionLevel: listNullability.count, elementDefinitionLevels: levels)
    }

    /// Whether the lists at each level may be null, outermost first.
    var listNullability: [Bool] {
        var previous = 0
        return elementDefinitionLevels.map { level in
            defer { previous = level }
            return level - 1 > previous
        }
    }
}
