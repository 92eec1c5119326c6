import ArgumentParser
import DataComp
import Foundation

/// `datacomp demo`: the end-to-end tour of the foundation on a small synthetic pool.
///
/// It renders a pool of image-text pairs with known defects, writes it as img2dataset-style
/// webdataset shards, selects a subset with DataComp's basic-filter caption and image-size rules
/// (without the language rule, so the demo downloads no model), writes the subset file, reshards
/// the pool to the subset with resharder semantics, preprocesses the kept images with OpenCLIP's
/// evaluation transform, and finds duplicate images with a BLAS similarity matrix.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the foundation's end-to-end demo on a synthetic pool.",
        discussion: """
            Writes OUTPUT/pool (webdataset shards), OUTPUT/subset.npy (DataComp subset file), \
            OUTPUT/resharded (shards of the subset), OUTPUT/pixels.safetensors (the preprocessed \
            batch) and OUTPUT/report.json. Every file can be opened with the Python tools.
            """
    )

    @Option(help: "The output folder (replaced if it holds a previous demo).")
    var output: String = ".build/demo"

    @Option(help: "The number of samples in the synthetic pool.")
    var samples: Int = 240

    @Option(help: "The number of samples per webdataset shard.")
    var shardSize: Int = 64

    @Option(help: "The seed of the synthetic pool.")
    var seed: UInt64 = 0

    @Option(help: "The side of the preprocessed images.")
    var size: Int = 224

    @Option(help: "How many images are preprocessed at once.")
    var workers: Int = 2

    func validate() throws {
        guard samples > 0, shardSize > 0, size > 0, workers > 0 else {
            throw ValidationError("--samples, --shard-size, --size and --workers must be positive")
        }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let files = FileManager.default
        if files.fileExists(atPath: output + "/report.json") { try files.removeItem(atPath: output) }
        for folder in [output, output + "/pool", output + "/resharded"] {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var report: [(String, JSONValue)] = []

        // 1. A synthetic candidate pool, written as img2dataset writes its shards.
        var step = clock.now
        var generator = SplitMix64(seed: seed)
        let pool = (0..<samples).map { DemoSample.make(index: $0, using: &generator) }
        let poolWriter = try WebDatasetShardWriter(folder: output + "/pool", options: .init(maxCount: shardSize))
        var encodedBytes = 0
        var previousImage: [UInt8] = []
        for (index, sample) in pool.enumerated() {
            // Duplicates re-use the previous sample's encoded image under a new uid.
            let jpeg =
                sample.duplicatesPrevious && !previousImage.isEmpty
                ? previousImage : try sample.render().jpegData(quality: 95)
            previousImage = jpeg
            encodedBytes += jpeg.count
            try poolWriter.write(sample.webDatasetSample(key: String(format: "%012d", index), jpeg: jpeg))
        }
        let poolShards = try poolWriter.finish()
        print(
            line(
                "1. pool", "\(samples) samples in \(poolShards.count) shards (\(encodedBytes / 1024) KiB of JPEG)",
                since: step))
        report.append(("pool", .object([("samples", .int(samples)), ("shards", .int(poolShards.count))])))

        // 2. Selection: DataComp's basic_filter rules on caption and image size, from the shards' json.
        step = clock.now
        var kept: [SampleID] = []
        var dropped: [String: Int] = [:]
        for shard in poolShards {
            var reader = try WebDatasetShardReader(
                path: output + "/pool/" + WebDatasetShardWriter.shardName(shard.number))
            while let sample = try reader.next() {
                let meta = try DemoSample.Metadata(json: sample["json"], key: sample.key)
                if let reason = meta.basicFilterRejection {
                    dropped[reason, default: 0] += 1
                } else {
                    kept.append(meta.uid)
                }
            }
        }
        try SubsetFile.write(kept, to: output + "/subset.npy")
        let subset = try SubsetFile.read(from: output + "/subset.npy")
        let reasons = dropped.sorted { $0.key < $1.key }
        print(
            line(
                "2. subset",
                "kept \(subset.count) of \(samples); dropped "
                    + reasons.map { "\($0.value) \($0.key)" }.joined(separator: ", "), since: step))
        report.append(
            (
                "subset",
                .object([("kept", .int(subset.count)), ("dropped", .object(reasons.map { ($0.key, .int($0.value)) }))])
            ))

        // 3. Reshard the pool to the subset (resharder.py's rule: keys <uid>-<j>, members copied byte for byte).
        step = clock.now
        let reshardWriter = try WebDatasetShardWriter(
            folder: output + "/resharded", options: .init(maxCount: shardSize))
        var keptImages: [MemberBytes] = []
        for shard in poolShards {
            var reader = try WebDatasetShardReader(
                path: output + "/pool/" + WebDatasetShardWriter.shardName(shard.number))
            while let sample = try reader.next() {
                for copy in try SubsetResharding.copies(of: sample, in: subset) {
                    try reshardWriter.write(copy)
                    if let jpeg = copy["jpg"] { keptImages.append(jpeg) }
                }
            }
        }
        let reshards = try reshardWriter.finish()
        print(line("3. reshard", "\(keptImages.count) samples in \(reshards.count) shards", since: step))
        report.append(("resharded", .object([("samples", .int(keptImages.count)), ("shards", .int(reshards.count))])))

        // 4. OpenCLIP evaluation preprocessing of the kept images, in parallel.
        step = clock.now
        let preprocessor = ImagePreprocessor(size: size)
        let pixels = try preprocessor.evaluationBatch(
            decoding: keptImages, concurrency: ConcurrencyBudget(width: workers))
        try SafetensorsFile.write(
            [SafetensorsTensor(name: "pixel_values", tensor: pixels, dataType: .float16)],
            metadata: ["transform": "open_clip evaluation, \(size)px, OpenAI mean/std"],
            to: output + "/pixels.safetensors")
        print(
            line(
                "4. preprocess", "[\(pixels.shape[0]), 3, \(size), \(size)] float16 -> pixels.safetensors", since: step)
        )

        // 5. Duplicate images: cosine similarity of pixel vectors through one BLAS GEMM.
        step = clock.now
        let features = pixels.reshaped([pixels.shape[0], 3 * size * size]).rowNormalized()
        let similarity = features.matmul(features, transposeB: true)
        var duplicatePairs = 0
        for i in 0..<pixels.shape[0] {
            for j in (i + 1)..<pixels.shape[0] where similarity[i, j] > 0.9999 { duplicatePairs += 1 }
        }
        print(line("5. duplicates", "\(duplicatePairs) pairs of identical images among the kept samples", since: step))
        report.append(("duplicate_pairs", .int(duplicatePairs)))

        let total = clock.now - start
        report.append(
            ("seconds", .double(Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18)))
        try AtomicFile.write(
            Array(JSONValue.object(report).serialized(indent: 2).utf8) + [10], to: output + "/report.json")
        print("done in \(total.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))): \(output)")
    }

    private func line(_ step: String, _ text: String, since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return step.padding(toLength: 14, withPad: " ", startingAt: 0) + text + String(format: "  (%.2f s)", seconds)
    }
}

/// One synthetic pool sample: a coloured shape on a gradient, with a caption and known defects.
struct DemoSample {
    static let colors: [(String, (UInt8, UInt8, UInt8))] = [
        ("red", (220, 40, 40)), ("green", (40, 180, 60)), ("blue", (40, 70, 220)),
        ("yellow", (230, 210, 40)), ("purple", (140, 50, 170)), ("orange", (240, 140, 30)),
    ]
    static let shapes = ["circle", "square", "diamond"]

    var uid: SampleID
    var width: Int
    var height: Int
    var color: Int
    var shape: Int
    var caption: String
    var duplicatesPrevious: Bool
    /// Per-sample variation (shape offset and size, background tint), so that only the injected
    /// duplicates have identical pixels.
    var jitter: (dx: Double, dy: Double, scale: Double, tint: Int)

    static func make(index: Int, using generator: inout SplitMix64) -> DemoSample {
        let uid = SampleID(high: generator.next(), low: generator.next())
        let color = Int(generator.next() % UInt64(colors.count))
        let shape = Int(generator.next() % UInt64(shapes.count))
        let roll = generator.next() % 100
        // Defects in known proportions: tiny images, extreme aspect ratios, one-word captions.
        let (width, height): (Int, Int) =
            roll < 10 ? (96, 72) : roll < 18 ? (900, 250) : [(320, 240), (256, 256), (240, 320)][index % 3]
        let caption =
            (20..<30).contains(roll)
            ? shapes[shape] : "a \(colors[color].0) \(shapes[shape]) on a gradient background"
        let unit = { (g: inout SplitMix64) in Double(g.next() >> 11) / Double(1 << 53) }
        let jitter = (
            dx: unit(&generator) * 0.3 - 0.15, dy: unit(&generator) * 0.3 - 0.15,
            scale: 0.7 + unit(&generator) * 0.6, tint: Int(generator.next() % 60)
        )
        return DemoSample(
            uid: uid, width: width, height: height, color: color, shape: shape, caption: caption,
            duplicatesPrevious: index > 0 && (30..<35).contains(roll), jitter: jitter)
    }

    func render() throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let (r, g, b) = Self.colors[color].1
        let cx = Double(width) * (0.5 + jitter.dx), cy = Double(height) * (0.5 + jitter.dy)
        let radius = Double(min(width, height)) * 0.3 * jitter.scale
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let inside: Bool
                switch shape {
                case 0: inside = dx * dx + dy * dy <= radius * radius
                case 1: inside = abs(dx) <= radius && abs(dy) <= radius
                default: inside = abs(dx) + abs(dy) <= radius
                }
                let offset = (y * width + x) * 3
                if inside {
                    pixels[offset] = r; pixels[offset + 1] = g; pixels[offset + 2] = b
                } else {
                    pixels[offset] = UInt8(40 + 150 * x / max(width - 1, 1))
                    pixels[offset + 1] = UInt8(60 + 120 * y / max(height - 1, 1))
                    pixels[offset + 2] = UInt8(140 + jitter.tint)
                }
            }
        }
        return try Image(width: width, height: height, mode: .rgb, pixels: pixels)
    }

    func webDatasetSample(key: String, jpeg: [UInt8]) -> WebDatasetSample {
        // The json member carries the fields img2dataset writes that the demo needs, in its order.
        let json = JSONValue.object([
            ("uid", .string(uid.hexString)), ("caption", .string(caption)), ("key", .string(key)),
            ("status", .string("success")), ("error_message", .null),
            ("width", .int(width)), ("height", .int(height)),
            ("original_width", .int(width)), ("original_height", .int(height)),
        ])
        return WebDatasetSample(
            key: key,
            members: [
                .init(fileExtension: "jpg", bytes: MemberBytes(jpeg)),
                .init(fileExtension: "json", bytes: MemberBytes(utf8: json.serialized(indent: 4))),
                .init(fileExtension: "txt", bytes: MemberBytes(utf8: caption)),
            ])
    }

    /// The fields of a sample's json member that the selection step reads.
    struct Metadata {
        var uid: SampleID
        var uidText: String
        var caption: String
        var width: Int
        var height: Int

        init(json: MemberBytes?, key: String) throws {
            guard let json, let record = try? JSONValue(parsing: json),
                let uidText = record["uid"]?.stringValue, let caption = record["caption"]?.stringValue,
                let width = record["original_width"]?.intValue, let height = record["original_height"]?.intValue
            else {
                throw DataCompError(
                    .invalidFormat, "sample has no json member with uid, caption and original size",
                    position: .member(key))
            }
            self.uid = try SampleID(hex: uidText)
            self.uidText = uidText
            self.caption = caption
            self.width = width
            self.height = height
        }

        /// DataComp's basic_filter caption and size rules (``BasicFilterRules``), without language ID.
        var basicFilterRejection: String? {
            // Words as Python's str.split(), characters as Python's len (Unicode scalars).
            let captions = StringColumn([caption])
            if !BasicFilterRules.passesCharacterCount(captions.unicodeScalarCount(at: 0))
                || !BasicFilterRules.passesWordCount(captions.wordCount(at: 0))
            {
                return "short caption"
            }
            if !BasicFilterRules.passesMinimumSide(width: width, height: height) { return "small image" }
            if !BasicFilterRules.passesAspectRatio(width: width, height: height) { return "extreme aspect ratio" }
            return nil
        }
    }
}
