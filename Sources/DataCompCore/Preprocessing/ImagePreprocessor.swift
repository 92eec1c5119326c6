/// OpenCLIP's image preprocessing (`open_clip.transform.image_transform`, version 3.3.0) for
/// Pillow images, reproduced on ``Image``.
///
/// The evaluation transform is torchvision's `Resize(size, BICUBIC)` on the shortest side,
/// `CenterCrop(size)`, `convert("RGB")`, `ToTensor()` and `Normalize(mean, std)`, in that order;
/// every step follows Pillow 13 and torchvision 0.28 exactly (see ``evaluationTensor(for:)``).
/// The training transform is `RandomResizedCrop(size, scale: (0.9, 1), ratio: (3/4, 4/3),
/// BICUBIC)` followed by the same conversion (see ``trainingTensor(for:using:)``).
///
/// ```swift
/// let preprocessor = ImagePreprocessor()               // 224, OpenAI mean and std
/// let pixels = try preprocessor.evaluationTensor(for: Image(contentsOfFile: "cat.jpg"))
/// // pixels.shape == [3, 224, 224]
/// ```
public struct ImagePreprocessor: Sendable, Hashable {
    /// OpenCLIP's `OPENAI_DATASET_MEAN` (R, G, B).
    public static let openAIMean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    /// OpenCLIP's `OPENAI_DATASET_STD` (R, G, B).
    public static let openAIStandardDeviation: [Float] = [0.26862954, 0.26130258, 0.27577711]

    /// The side of the square output, in pixels.
    public let size: Int
    /// The per-channel mean subtracted after scaling samples to [0, 1].
    public let mean: [Float]
    /// The per-channel standard deviation divided by after subtracting ``mean``.
    public let standardDeviation: [Float]
    /// The resampling filter (OpenCLIP's default is bicubic; Pillow forces nearest for "P"
    /// and "1" images regardless).
    public let filter: ResamplingFilter
    /// The range of the crop's area relative to the image's, for the training transform.
    public let scale: ClosedRange<Double>
    /// The range of the crop's aspect ratio (width / height), for the training transform.
    public let ratio: ClosedRange<Double>

    /// Creates a preprocessor.
    ///
    /// - Parameters:
    ///   - size: The side of the square output; 224 for the CLIP ViT-B/32 models.
    ///   - mean: Three per-channel means; OpenAI's by default.
    ///   - standardDeviation: Three per-channel standard deviations; OpenAI's by default.
    ///   - filter: The resampling filter; bicubic by default.
    ///   - scale: The training crop's relative area range; OpenCLIP's (0.9, 1.0) by default.
    ///   - ratio: The training crop's aspect-ratio range; torchvision's (3/4, 4/3) by default.
    /// - Precondition: `size > 0`; `mean` and `standardDeviation` have three finite elements and
    ///   the standard deviations are positive; `scale` lies in `(0, 1]`; `ratio` is positive.
    public init(
        size: Int = 224,
        mean: [Float] = ImagePreprocessor.openAIMean,
        standardDeviation: [Float] = ImagePreprocessor.openAIStandardDeviation,
        filter: ResamplingFilter = .bicubic,
        scale: ClosedRange<Double> = 0.9...1.0,
        ratio: ClosedRange<Double> = (3.0 / 4.0)...(4.0 / 3.0)
    ) {
        precondition(size > 0, "size must be positive, not \(size)")
        precondition(mean.count == 3 && standardDeviation.count == 3, "mean and standardDeviation need 3 values")
        precondition(mean.allSatisfy(\.isFinite), "mean must be finite, not \(mean)")
        precondition(
            standardDeviation.allSatisfy { $0.isFinite && $0 > 0 },
            "standard deviations must be positive, not \(standardDeviation)")
        precondition(scale.lowerBound > 0 && scale.upperBound <= 1, "scale must lie in (0, 1], not \(scale)")
        precondition(
            ratio.lowerBound > 0 && ratio.upperBound.isFinite, "ratio must be positive and finite, not \(ratio)")
        self.size = size
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.filter = filter
        self.scale = scale
        self.ratio = ratio
    }

    /// The size torchvision's `Resize(size)` gives an image: the shorter side becomes ``size``
    /// and the longer one `int(size · long / short)` (truncated).
    ///
    /// - Parameters:
    ///   - width: The image's width.
    ///   - height: The image's height.
    /// - Returns: The resized width and height.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let short = min(width, height), long = max(width, height)
        let newLong = Int((Double(size * long) / Double(short)).rounded(.towardZero))
        return width <= height ? (size, newLong) : (newLong, size)
    }

    /// Applies OpenCLIP's evaluation transform and returns a `[3, size, size]` tensor.
    ///
    /// Steps: resize the shorter side to ``size`` (skipped when already that size) with
    /// Pillow's resampler in the image's own mode; centre-crop to `size × size` with offsets
    /// `round((H − size) / 2)` using Python's round-half-even (zero padding if the image were
    /// smaller); `convert("RGB")`; divide by 255; subtract ``mean``; divide by
    /// ``standardDeviation``. Only the pixels that survive the crop are resampled, which is
    /// bit-identical to resizing everything and cropping afterwards.
    ///
    /// - Parameter image: The decoded image, in any mode.
    /// - Returns: A CHW `Float` tensor of shape `[3, size, size]`.
    /// - Throws: ``DataCompError`` with code `unsupportedFormat` when resizing the shorter side
    ///   to ``size`` makes the longer side exceed 2³¹ − 1 pixels (a 1-pixel-high strip millions
    ///   of pixels wide), where Pillow raises `OverflowError`.
    public func evaluationTensor(for image: Image) throws -> Tensor {
        normalizedTensor(fromRGB: try evaluationImage(for: image))
    }

    /// Writes ``evaluationTensor(for:)`` of `image` into `out` (`3 · size · size` values).
    func writeEvaluationTensor(for image: Image, into out: UnsafeMutableBufferPointer<Float>) throws {
        normalize(fromRGB: try evaluationImage(for: image), into: out)
    }

    /// The resized, centre-cropped RGB image of the evaluation transform, before normalisation.
    func evaluationImage(for image: Image) throws -> Image {
        let geometry = try evaluationGeometry(width: image.width, height: image.height)
        let target = geometry.target
        let n = size
        let cropped: Image
        if let window = geometry.window {
            if target.width == image.width && target.height == image.height {
                cropped = image.cropped(left: window.x, top: window.y, width: n, height: n)
            } else {
                cropped = image.resized(
                    width: target.width, height: target.height, filter: filter, box: nil, window: window)
            }
        } else {
            // The crop pads: resize everything, then crop with zero padding (torchvision's rule).
            cropped = image.resized(width: target.width, height: target.height, filter: filter)
                .cropped(left: cropOffset(target.width), top: cropOffset(target.height), width: n, height: n)
        }
        return cropped.convertedToRGB()
    }

    /// Applies OpenCLIP's training transform with random numbers from `generator`.
    ///
    /// torchvision's `RandomResizedCrop.get_params` is followed step by step (up to ten tries
    /// of area `U(scale)·H·W` and aspect `exp(U(ln ratio))`, rounded half-to-even; then the
    /// ratio-clamped centre fallback), the crop is resized to `size × size` with Pillow's
    /// resampler in the image's mode, then converted as in ``evaluationTensor(for:)``.
    /// The random numbers come from `generator`, not from torch: the same seed gives the same
    /// crop here, but it cannot replay a PyTorch run's crops.
    ///
    /// - Parameters:
    ///   - image: The decoded image, in any mode.
    ///   - generator: The source of randomness (for example a seeded generator for
    ///     reproducible runs).
    /// - Returns: A CHW `Float` tensor of shape `[3, size, size]`.
    public func trainingTensor<G: RandomNumberGenerator>(for image: Image, using generator: inout G) -> Tensor {
        let crop = randomResizedCrop(width: image.width, height: image.height, using: &generator)
        let region = image.cropped(left: crop.left, top: crop.top, width: crop.width, height: crop.height)
        let resized =
            (crop.width == size && crop.height == size)
            ? region : region.resized(width: size, height: size, filter: filter)
        return normalizedTensor(fromRGB: resized.convertedToRGB())
    }

    /// torchvision's `RandomResizedCrop.get_params` with this preprocessor's ``scale`` and
    /// ``ratio``, drawing from `generator`.
    ///
    /// - Parameters:
    ///   - width: The image's width.
    ///   - height: The image's height.
    ///   - generator: The source of randomness.
    /// - Returns: The crop rectangle, always inside the image and at least 1×1.
    public func randomResizedCrop<G: RandomNumberGenerator>(
        width: Int, height: Int, using generator: inout G
    ) -> (left: Int, top: Int, width: Int, height: Int) {
        let area = Double(width * height)
        let logRatio = (libmLog(ratio.lowerBound), libmLog(ratio.upperBound))
        for _ in 0..<10 {
            let targetArea = area * Double.random(in: scale, using: &generator)
            let aspect = libmExp(Double.random(in: logRatio.0...logRatio.1, using: &generator))
            let w = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if 0 < w && w <= width && 0 < h && h <= height {
                let top = Int.random(in: 0...(height - h), using: &generator)
                let left = Int.random(in: 0...(width - w), using: &generator)
                return (left, top, w, h)
            }
        }
        let inRatio = Double(width) / Double(height)
        var w = width, h = height
        if inRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        w = min(max(w, 1), width)
        h = min(max(h, 1), height)
        return ((width - w) / 2, (height - h) / 2, w, h)
    }

    /// torchvision's `ToTensor()` + `Normalize(mean, std)` on an RGB image: `[3, H, W]` with
    /// `(v / 255 − mean[c]) / std[c]` computed in `Float` as torch computes it.
    ///
    /// - Parameter image: An ``Image/Mode/rgb`` image.
    /// - Returns: A CHW tensor of shape `[3, image.height, image.width]`.
    /// - Precondition: `image.mode == .rgb`.
    public func normalizedTensor(fromRGB image: Image) -> Tensor {
        precondition(image.mode == .rgb, "normalizedTensor(fromRGB:) needs an RGB image")
        return Tensor(shape: [3, image.height, image.width]) { out in normalize(fromRGB: image, into: out) }
    }

    /// Writes ``normalizedTensor(fromRGB:)`` of `image` into `out` (`3 · height · width` values,
    /// channel planes one after the other).
    func normalize(fromRGB image: Image, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(image.mode == .rgb, "normalize(fromRGB:into:) needs an RGB image")
        image.pixels.withUnsafeBufferPointer { pixels in
            normalize(
                pixels, rowStride: 3 * image.width, channels: 3, width: image.width, height: image.height, into: out)
        }
    }
}
