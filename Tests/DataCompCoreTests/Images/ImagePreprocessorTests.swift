import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct ImagePreprocessorTests {
    struct Case: Sendable, CustomStringConvertible {
        var fixture: ImageFixture
        var size: Int
        var file: String
        var description: String { "\(fixture.file) @\(size)" }
    }

    static let cases: [Case] = ImageFixture.all.flatMap { f in
        f.preprocess.map { Case(fixture: f, size: $0.size, file: $0.file) }
    }

    // Expected tensors: OpenCLIP 3.3.0 `image_transform(N, is_train=False)` (torchvision 0.28,
    // Pillow 13.0.0) applied to Pillow's decoded image. Acceptance tolerance: max |Δ| ≤ 0.02 and
    // mean |Δ| ≤ 0.002; we also require max ≤ 1e-5 because the pipeline is bit-exact up to
    // float rounding of the normalization.
    @Test("Evaluation transform matches OpenCLIP", arguments: cases)
    func matchesOpenCLIP(_ testCase: Case) throws {
        let expected = try testCase.fixture.floats(testCase.file)
        let preprocessor = ImagePreprocessor(size: testCase.size)
        let fromPillow = try preprocessor.evaluationTensor(for: try testCase.fixture.pillowImage())
        #expect(fromPillow.shape == [3, testCase.size, testCase.size])
        let worst = maxAbsoluteDifference(fromPillow.scalars, expected)
        let mean =
            zip(fromPillow.scalars, expected).reduce(0) { $0 + Double(abs($1.0 - $1.1)) } / Double(expected.count)
        #expect(worst <= 1e-5 && mean <= 0.002, "max \(worst), mean \(mean)")
        // End to end from the encoded file with our decoders.
        let decoded = try Image(contentsOfFile: Fixtures.path("images/" + testCase.fixture.file))
        let fromFile = try preprocessor.evaluationTensor(for: decoded)
        let worstFile = maxAbsoluteDifference(fromFile.scalars, expected)
        #expect(worstFile <= 0.02, "end-to-end max \(worstFile)")
    }

    @Test("The decoding fast path matches OpenCLIP like the Image path", arguments: cases)
    func decodingPathMatchesOpenCLIP(_ testCase: Case) throws {
        // JPEGs in RGB and L are decoded into reused buffers and resampled without an Image;
        // every other file takes the Image path. Both must give the very same bits, and stay
        // within the OpenCLIP tolerance above.
        let bytes = try testCase.fixture.bytes(testCase.fixture.file)
        let preprocessor = ImagePreprocessor(size: testCase.size)
        let viaImage = try preprocessor.evaluationTensor(for: Image(decoding: bytes))
        let viaDecoding = try preprocessor.evaluationTensors(decoding: [bytes, bytes], concurrency: .serial)
        #expect(viaDecoding == [viaImage, viaImage], "reused buffers must not leak between images")
        let expected = try testCase.fixture.floats(testCase.file)
        #expect(maxAbsoluteDifference(viaDecoding[0].scalars, expected) <= 0.02)
    }

    @Test("Training transform is shaped, deterministic per seed and seed-dependent")
    func trainingTransformIsDeterministic() throws {
        let image = try ImageFixture.named("rgb_q90.jpg")[0].pillowImage()
        let preprocessor = ImagePreprocessor(size: 32)
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 8)
        let ta = preprocessor.trainingTensor(for: image, using: &a)
        let tb = preprocessor.trainingTensor(for: image, using: &b)
        let tc = preprocessor.trainingTensor(for: image, using: &c)
        #expect(ta.shape == [3, 32, 32])
        #expect(ta == tb)
        #expect(ta != tc)
    }

    @Test(
        "Random crops stay inside the image and follow the scale and ratio ranges",
        arguments: [(64, 48), (7, 300), (300, 7), (1, 1), (224, 224)])
    func randomCropsAreValid(_ size: (Int, Int)) {
        let preprocessor = ImagePreprocessor()
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let crop = preprocessor.randomResizedCrop(width: size.0, height: size.1, using: &generator)
            #expect(crop.left >= 0 && crop.top >= 0 && crop.width >= 1 && crop.height >= 1)
            #expect(crop.left + crop.width <= size.0 && crop.top + crop.height <= size.1)
        }
        // On a large square image every crop comes from the tries: area ≥ 0.9 (minus rounding).
        for _ in 0..<200 {
            let crop = preprocessor.randomResizedCrop(width: 1000, height: 1000, using: &generator)
            #expect(Double(crop.width * crop.height) >= 0.89 * 1_000_000)
            let ratio = Double(crop.width) / Double(crop.height)
            #expect(ratio >= 0.74 && ratio <= 1.34)
        }
    }

    @Test(
        "Output size follows torchvision's truncating Resize",
        arguments: [
            (640, 480, 298, 224), (480, 640, 224, 298), (7, 3000, 224, 96000), (1, 1, 224, 224), (225, 224, 225, 224),
        ])
    func computesResizedSize(_ c: (Int, Int, Int, Int)) {
        let size = ImagePreprocessor().resizedSize(width: c.0, height: c.1)
        #expect(size.width == c.2 && size.height == c.3)
    }

    @Test("Batch preprocessing equals one-by-one preprocessing")
    func batchMatchesSingle() throws {
        let images = try ImageFixture.all.prefix(8).map { try $0.pillowImage() }
        let preprocessor = ImagePreprocessor(size: 32)
        let single = try images.map { try preprocessor.evaluationTensor(for: $0) }
        let batch = try preprocessor.evaluationTensors(for: images, concurrency: ConcurrencyBudget(width: 3))
        #expect(batch == single)
        let encoded = try ImageFixture.all.prefix(8).map { try $0.bytes($0.file) }
        let decoded = try encoded.map { try preprocessor.evaluationTensor(for: Image(decoding: $0)) }
        let decodedBatch = try preprocessor.evaluationTensors(
            decoding: encoded, concurrency: ConcurrencyBudget(width: 2))
        #expect(decodedBatch == decoded)
        // One [N, 3, H, W] buffer holds the same values, image after image; members are read in place.
        let stacked = try preprocessor.evaluationBatch(
            decoding: encoded.map { MemberBytes($0) }, concurrency: ConcurrencyBudget(width: 2))
        #expect(stacked.shape == [8, 3, 32, 32])
        #expect(stacked.scalars == decoded.flatMap(\.scalars))
        let stackedImages = try preprocessor.evaluationBatch(for: images)
        #expect(stackedImages.scalars == single.flatMap(\.scalars))
    }
}

extension ImagePreprocessorTests {
    // torchvision's Resize(224) makes a 1×5000 image 224×1,120,000 (250 M pixels, more than an
    // Image may hold); only the centre-cropped 224×224 window is computed. Upscaling a 1-pixel-wide
    // source horizontally gives identical columns (Pillow's weights for a single input sum to 1).
    @Test("Extreme aspect ratios only compute the cropped window")
    func extremeAspectRatio() throws {
        let pixels = (0..<5000).map { UInt8($0 % 251) }
        let image = try Image(width: 1, height: 5000, mode: .gray, pixels: pixels)
        let tensor = try ImagePreprocessor(size: 224).evaluationTensor(for: image)
        #expect(tensor.shape == [3, 224, 224])
        // A 1-pixel-wide source upscaled horizontally gives identical columns.
        for row in stride(from: 0, to: 224, by: 37) {
            #expect(tensor[0, row, 0] == tensor[0, row, 223])
        }
    }
}
