/// Generates repetition and definition levels for rows of a column.
package struct ParquetLevelGenerator {
    let column: ParquetColumn
    var repetition: [UInt16] = []
    var definition: [UInt16] = []

    package init(column: ParquetColumn) { self.column = column }

    /// Appends the levels of rows `rows`.
    package mutating func generate(rows: Range<Int>) {
        let maxDef = column.descriptor.maxDefinitionLevel
        if column.lists.isEmpty {
            if maxDef == 0 { return }
            for row in rows { definition.append(column.isValid(row) ? UInt16(maxDef) : UInt16(maxDef - 1)) }
            return
        }
        for row in rows { list(level: 0, index: row, rep: 0) }
    }

    private mutating func list(level: Int, index: Int, rep: Int) {
        let levels = column.descriptor.elementDefinitionLevels
        let list = column.lists[level]
        let present = levels[level] - 1
        if let validity = list.validity, !validity[index] {
            repetition.append(UInt16(rep))
            definition.append(UInt16(present - 1))
            return
        }
        let begin = list.offsets[index]
        let end = list.offsets[index + 1]
        if begin == end {
            repetition.append(UInt16(rep))
            definition.append(UInt16(present))
            return
        }
        for element in begin..<end {
            let r = element == begin ? rep : level + 1
            if level + 1 < column.lists.count {
                self.list(level: level + 1, index: element, rep: r)
            } else {
                repetition.append(UInt16(r))
                let maxDef = column.descriptor.maxDefinitionLevel
                definition.append(column.isValid(element) ? UInt16(maxDef) : UInt16(maxDef - 1))
            }
        }
    }
}
