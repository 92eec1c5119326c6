import DataCompCore
import Foundation
import _DataCompTestSupport

/// The image fixtures described by `Resources/images/index.json`, written by
/// `Scripts/fixtures/images_fixtures.py` with Pillow 13.0.0 and OpenCLIP 3.3.0.
struct ImageFixture: Sendable, CustomStringConvertible {
    struct Resize: Sendable {
        var width: Int
        var height: Int
        var filter: ResamplingFilter
        var box: ResizeBox?
        var file: String
    }

    var file: String
    var format: String
    var mode: String
    var width: Int
    var height: Int
    var palette: [UInt8]?
    var raw: String
    var rgb: String
    var resizes: [Resize]
    var preprocess: [(size: Int, file: String)]

    var description: String { file }

    static let all: [ImageFixture] = {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("images/index.json"))),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let images = root["images"] as? [[String: Any]]
        else { return [] }
        return images.map { e in
            ImageFixture(
                file: e["file"] as? String ?? "",
                format: e["format"] as? String ?? "",
                mode: e["mode"] as? String ?? "",
                width: e["width"] as? Int ?? 0,
                height: e["height"] as? Int ?? 0,
                palette: (e["palette"] as? [Int])?.map { UInt8($0) },
                raw: e["raw"] as? String ?? "",
                rgb: e["rgb"] as? String ?? "",
                resizes: (e["resizes"] as? [[String: Any]] ?? []).map { r in
                    Resize(
                        width: r["width"] as? Int ?? 0, height: r["height"] as? Int ?? 0,
                        filter: ResamplingFilter(rawValue: r["filter"] as? String ?? "") ?? .nearest,
                        box: (r["box"] as? [Double]).map {
                            ResizeBox(left: Float($0[0]), top: Float($0[1]), right: Float($0[2]), bottom: Float($0[3]))
                        },
                        file: r["file"] as? String ?? "")
                },
                preprocess: (e["preprocess"] as? [[String: Any]] ?? []).map {
                    (size: $0["size"] as? Int ?? 0, file: $0["file"] as? String ?? "")
                })
        }
    }()

    static func named(_ prefix: String) -> [ImageFixture] { all.filter { $0.file.hasPrefix(prefix) } }
    static var jpeg: [ImageFixture] { all.filter { $0.format == "JPEG" } }
    static var lossless: [ImageFixture] { all.filter { $0.format != "JPEG" } }

    func bytes(_ name: String) throws -> [UInt8] { try Fixtures.bytes("images/" + name) }

    func floats(_ name: String) throws -> [Float] {
        let data = try bytes(name)
        return stride(from: 0, to: data.count, by: 4).map { i in
            Float(
                bitPattern: UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3])
                    << 24)
        }
    }

    /// Pillow's decoded image, rebuilt from the raw samples (independent of our decoders).
    func pillowImage() throws -> Image {
        guard let mode = Image.Mode(rawValue: mode) else { throw DataCompError(.invalidArgument, "mode \(self.mode)") }
        return try Image(width: width, height: height, mode: mode, pixels: bytes(raw), palette: palette)
    }
}

/// Statistics of `|a − b|` over equally long byte arrays.
func byteDifference(_ a: [UInt8], _ b: [UInt8]) -> (max: Int, mean: Double, differing: Int) {
    guard a.count == b.count, !a.isEmpty else { return (Int.max, .infinity, Int.max) }
    var worst = 0, total = 0, differing = 0
    for i in a.indices {
        let d = abs(Int(a[i]) - Int(b[i]))
        worst = max(worst, d); total += d
        if d != 0 { differing += 1 }
    }
    return (worst, Double(total) / Double(a.count), differing)
}
