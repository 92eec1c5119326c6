/// A resampling filter for ``Image/resized(width:height:filter:box:)``, as Pillow defines it.
public enum ResamplingFilter: String, Sendable, Hashable, CaseIterable {
    /// Pillow `NEAREST`: the source pixel under each output pixel's centre.
    case nearest
    /// Pillow `BILINEAR`: a triangle filter, widened when downscaling (antialiased).
    case bilinear
    /// Pillow `BICUBIC`: the Keys cubic with a = −0.5, widened when downscaling (antialiased).
    /// OpenCLIP's default.
    case bicubic
}

/// A source rectangle for ``Image/resized(width:height:filter:box:)``, in pixel coordinates
/// (Pillow's `box=(left, top, right, bottom)`).
public struct ResizeBox: Sendable, Hashable {
    /// The left edge.
    public var left: Float
    /// The top edge.
    public var top: Float
    /// The right edge (exclusive).
    public var right: Float
    /// The bottom edge (exclusive).
    public var bottom: Float

    /// Creates a box from its edges.
    ///
    /// - Parameters:
    ///   - left: The left edge.
    ///   - top: The top edge.
    ///   - right: The right edge (exclusive).
    ///   - bottom: The bottom edge (exclusive).
    public init(left: Float, top: Float, right: Float, bottom: Float) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}
