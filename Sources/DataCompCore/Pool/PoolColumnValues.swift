/// The values of one column of a ``PoolBatch``, one per row, stored by type.
public enum PoolColumnValues: Sendable, Equatable {
    /// Sample identifiers (``PoolColumn/ValueType/identifier``).
    case identifiers([SampleID])
    /// Byte strings (``PoolColumn/ValueType/string``).
    case strings(StringColumn)
    /// Integers (``PoolColumn/ValueType/integer``).
    case integers([Int])
    /// Single-precision numbers (``PoolColumn/ValueType/float``).
    case floats([Float])
    /// Double-precision numbers (``PoolColumn/ValueType/double``).
    case doubles([Double])
    /// Booleans (``PoolColumn/ValueType/boolean``).
    case booleans([Bool])
    /// Face boxes (``PoolColumn/ValueType/faceBoxes``).
    case faceBoxes(PoolFaceBoxes)
    /// A feature matrix, one row per sample (``PoolColumn/ValueType/embedding``).
    case embeddings(PoolEmbeddings)

    /// The type these values have.
    public var valueType: PoolColumn.ValueType {
        switch self {
        case .identifiers: .identifier
        case .strings: .string
        case .integers: .integer
        case .floats: .float
        case .doubles: .double
        case .booleans: .boolean
        case .faceBoxes: .faceBoxes
        case .embeddings: .embedding
        }
    }

    /// The number of rows.
    public var count: Int {
        switch self {
        case .identifiers(let v): v.count
        case .strings(let v): v.count
        case .integers(let v): v.count
        case .floats(let v): v.count
        case .doubles(let v): v.count
        case .booleans(let v): v.count
        case .faceBoxes(let v): v.count
        case .embeddings(let v): v.rowCount
        }
    }

    /// Rows `rows` (shared storage where the type allows it).
    func sliced(_ rows: Range<Int>) -> PoolColumnValues {
        func take<T>(_ values: [T]) -> [T] { rows == values.indices ? values : Array(values[rows]) }
        switch self {
        case .identifiers(let v): return .identifiers(take(v))
        case .strings(let v): return .strings(v.sliced(rows))
        case .integers(let v): return .integers(take(v))
        case .floats(let v): return .floats(take(v))
        case .doubles(let v): return .doubles(take(v))
        case .booleans(let v): return .booleans(take(v))
        case .faceBoxes(let v): return .faceBoxes(v.sliced(rows))
        case .embeddings(let v): return .embeddings(v.sliced(rows))
        }
    }

    /// The rows at `indices`, in that order (copies).
    func gathering(_ indices: [Int]) -> PoolColumnValues {
        func take<T>(_ values: [T]) -> [T] { indices.map { values[$0] } }
        switch self {
        case .identifiers(let v): return .identifiers(take(v))
        case .strings(let v): return .strings(v.gathering(indices))
        case .integers(let v): return .integers(take(v))
        case .floats(let v): return .floats(take(v))
        case .doubles(let v): return .doubles(take(v))
        case .booleans(let v): return .booleans(take(v))
        case .faceBoxes(let v): return .faceBoxes(v.gathering(indices))
        case .embeddings(let v): return .embeddings(v.gathering(indices))
        }
    }
}
