/// Activations of a convolutional tower in channel-major order, `[channels, count, height, width]`.
///
/// One channel's values over the whole batch are one contiguous span (BatchNorm's statistics
/// and its affine step run over it), and a convolution's `W · patches` product comes out in
/// this order, so no layer moves values between layouts. Images enter in PyTorch's NCHW order
/// and are transposed once (``init(nchw:images:channels:size:)``).
struct FeatureMap: Sendable {
    var values: [Float]
    var count: Int
    var channels: Int
    var height: Int
    var width: Int

    /// Positions per image.
    var plane: Int { height * width }
    /// Values per channel: `count · plane`.
    var span: Int { count * plane }

    init(values: [Float], count: Int, channels: Int, height: Int, width: Int) {
        precondition(values.count == count * channels * height * width, "feature map values do not fill the shape")
        self.values = values
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// The images `images` of an NCHW batch (`[n, channels, size, size]`), transposed to
    /// channel-major order.
    init(nchw pixels: UnsafeBufferPointer<Float>, images: Range<Int>, channels: Int, size: Int) {
        let plane = size * size
        let count = images.count
        let values = [Float](unsafeUninitializedCapacity: channels * count * plane) { buffer, initialized in
            for (slot, image) in images.enumerated() {
                for channel in 0..<channels {
                    let from = (image * channels + channel) * plane
                    let to = (channel * count + slot) * plane
                    for i in 0..<plane { buffer[to + i] = pixels[from + i] }
                }
            }
            initialized = channels * count * plane
        }
        self.init(values: values, count: count, channels: channels, height: size, width: size)
    }

    /// The same shape with new values.
    func with(values: [Float]) -> FeatureMap {
        FeatureMap(values: values, count: count, channels: channels, height: height, width: width)
    }
}
