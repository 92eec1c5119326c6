/// The `face_bboxes` column (`list<list<double>>`) of a batch, as nested offsets over one
/// coordinate buffer.
///
/// Row `r` has boxes `rowOffsets[r]..<rowOffsets[r + 1]`; box `b` has coordinates
/// `coordinates[boxOffsets[b]..<boxOffsets[b + 1]]` (four values `[x0, y0, x1, y1]` as
/// fractions of the original image size in DataComp's data). Buffers may be shared with other
/// batches of the same row group. Null rows read as rows without boxes and null coordinates as NaN.
public struct PoolFaceBoxes: Sendable, Equatable {
    /// `count + 1` offsets into the boxes.
    public let rowOffsets: [Int]
    /// One more offset than there are boxes, into ``coordinates``.
    public let boxOffsets: [Int]
    /// All coordinates back to back.
    public let coordinates: [Double]

    /// Creates the column from nested offsets.
    ///
    /// - Parameters:
    ///   - rowOffsets: `count + 1` non-decreasing offsets into the boxes.
    ///   - boxOffsets: Non-decreasing offsets into `coordinates`, one more than there are boxes.
    ///   - coordinates: All coordinates.
    /// - Precondition: The offsets are non-decreasing and in range.
    public init(rowOffsets: [Int], boxOffsets: [Int], coordinates: [Double]) {
        precondition(!rowOffsets.isEmpty && !boxOffsets.isEmpty, "offsets need one more entry than items")
        precondition(
            (rowOffsets.last ?? 0) < boxOffsets.count && (boxOffsets.last ?? 0) <= coordinates.count,
            "offsets out of range")
        self.rowOffsets = rowOffsets
        self.boxOffsets = boxOffsets
        self.coordinates = coordinates
    }

    /// Creates the column from nested arrays.
    ///
    /// - Parameter rows: Per row, its boxes, each a list of coordinates.
    public init(_ rows: [[[Double]]]) {
        var rowOffsets = [0]
        var boxOffsets = [0]
        var coordinates: [Double] = []
        for boxes in rows {
            for box in boxes {
                coordinates.append(contentsOf: box)
                boxOffsets.append(coordinates.count)
            }
            rowOffsets.append(boxOffsets.count - 1)
        }
        self.init(rowOffsets: rowOffsets, boxOffsets: boxOffsets, coordinates: coordinates)
    }

    /// The number of rows.
    public var count: Int { rowOffsets.count - 1 }

    /// The number of boxes of row `row`.
    ///
    /// - Parameter row: A row in `0..<count`.
    /// - Returns: The number of boxes.
    public func boxCount(at row: Int) -> Int { rowOffsets[row + 1] - rowOffsets[row] }

    /// The boxes of row `row`, each as its coordinates.
    ///
    /// - Parameter row: A row in `0..<count`.
    /// - Returns: The boxes (copies).
    public func boxes(at row: Int) -> [[Double]] {
        (rowOffsets[row]..<rowOffsets[row + 1]).map { box in
            Array(coordinates[boxOffsets[box]..<boxOffsets[box + 1]])
        }
    }

    /// The rows `rows`, sharing this column's buffers.
    ///
    /// - Parameter rows: A range of rows.
    /// - Returns: The face boxes of those rows.
    public func sliced(_ rows: Range<Int>) -> PoolFaceBoxes {
        PoolFaceBoxes(
            rowOffsets: Array(rowOffsets[rows.lowerBound...rows.upperBound]), boxOffsets: boxOffsets,
            coordinates: coordinates)
    }

    /// The rows at `rows`, in that order, in new compact buffers.
    ///
    /// - Parameter rows: Row indices in `0..<count`.
    /// - Returns: The face boxes of those rows.
    public func gathering(_ rows: [Int]) -> PoolFaceBoxes {
        var newRows = [0]
        var newBoxes = [0]
        var newCoordinates: [Double] = []
        for row in rows {
            for box in rowOffsets[row]..<rowOffsets[row + 1] {
                newCoordinates.append(contentsOf: coordinates[boxOffsets[box]..<boxOffsets[box + 1]])
                newBoxes.append(newCoordinates.count)
            }
            newRows.append(newBoxes.count - 1)
        }
        return PoolFaceBoxes(rowOffsets: newRows, boxOffsets: newBoxes, coordinates: newCoordinates)
    }

    /// Returns whether two columns hold the same boxes row by row.
    public static func == (lhs: PoolFaceBoxes, rhs: PoolFaceBoxes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for row in 0..<lhs.count where lhs.boxes(at: row) != rhs.boxes(at: row) { return false }
        return true
    }
}
