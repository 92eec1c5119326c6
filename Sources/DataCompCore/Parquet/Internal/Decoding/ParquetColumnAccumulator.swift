/// Collects the decoded data of one leaf column across row groups.
package final class ParquetColumnAccumulator {
    package let descriptor: ParquetColumnDescriptor
    let values: ParquetValuesBuilder
    var validity = ParquetValidity()
    var listStarts: [[Int]]
    var listValidity: [ParquetValidity]
    var elementCounts: [Int]
    var rows = 0

    package init(descriptor: ParquetColumnDescriptor) {
        self.descriptor = descriptor
        switch descriptor.physicalType {
        case .boolean: values = ParquetValuesBuilder(width: 1, fixedByteArrayLength: nil)
        case .int32, .float: values = ParquetValuesBuilder(width: 4, fixedByteArrayLength: nil)
        case .int64, .double: values = ParquetValuesBuilder(width: 8, fixedByteArrayLength: nil)
        case .byteArray: values = ParquetValuesBuilder(width: nil, fixedByteArrayLength: nil)
        case .int96, .fixedLengthByteArray:
            values = ParquetValuesBuilder(width: nil, fixedByteArrayLength: descriptor.typeLength ?? 0)
        }
        let depth = descriptor.maxRepetitionLevel
        listStarts = Array(repeating: [], count: depth)
        listValidity = Array(repeating: ParquetValidity(), count: depth)
        elementCounts = Array(repeating: 0, count: depth)
    }

    /// Builds the public column value.
    package func finish() -> ParquetColumn {
        let typed: ParquetColumn.Values
        func byteArrays() -> StringColumn {
            StringColumn(bytes: values.data.finishBytes(), offsets: values.offsets)
        }
        switch descriptor.physicalType {
        case .boolean: typed = .boolean(values.data.withUnsafeBytes { $0.map { $0 != 0 } })
        case .int32: typed = .int32(values.data.array(of: Int32.self))
        case .int64: typed = .int64(values.data.array(of: Int64.self))
        case .float: typed = .float(values.data.array(of: Float.self))
        case .double: typed = .double(values.data.array(of: Double.self))
        case .byteArray: typed = descriptor.isString ? .string(byteArrays()) : .binary(byteArrays())
        case .int96, .fixedLengthByteArray: typed = .fixedLengthBinary(byteArrays())
        }
        var lists: [ParquetListLevel] = []
        for level in 0..<listStarts.count {
            let validity = listValidity[level]
            lists.append(
                ParquetListLevel(
                    offsets: listStarts[level] + [elementCounts[level]],
                    validity: validity.nullCount == 0 ? nil : validity))
        }
        return ParquetColumn(
            descriptor: descriptor, values: typed, validity: validity.nullCount == 0 ? nil : validity, lists: lists)
    }
}
