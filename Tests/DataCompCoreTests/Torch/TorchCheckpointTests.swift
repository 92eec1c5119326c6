import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// The restricted `torch.save` reader against files written by PyTorch 2.13 and what
/// `torch.load` reads from them (Scripts/fixtures/torch_fixtures.py): values equal exactly.
@Suite struct TorchCheckpointTests {
    private nonisolated(unsafe) static let expected: [String: Any] = {
        (try? PoolFixtures.jsonObject("torch/expected.json")) ?? [:]
    }()

    @Test(
        "Reads what torch.load reads",
        arguments: ["centroids_protocol4.pt", "array_protocol2.pt", "features.pt", "state_dict.pt", "mixed.pt"])
    func readsWhatTorchLoadReads(file: String) throws {
        let checkpoint = try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/\(file)"))
        let json = try #require(Self.expected[file])
        #expect(Self.mismatch(checkpoint.root, json, at: file) == nil)
    }

    @Test("Reads DataComp's asset layouts: a dictionary of image features and a bare centroid array")
    func readsDataCompAssetLayouts() throws {
        let features = try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/features.pt"))
        let array = try features.array(at: "image_features")
        #expect(array.dataType == .float16)
        #expect(array.shape == [6, 4])
        #expect(array.isMemoryMapped)  // contiguous tensors are views of the file
        let centroids = try #require(
            try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/centroids_protocol4.pt")).root.arrayValue)
        #expect(centroids.dataType == .float32)
        #expect(centroids.shape == [5, 4])
        let missing = #expect(throws: DataCompError.self) { try features.array(at: "features") }
        #expect(missing?.code == .missingMember)
        #expect(missing?.message.contains("image_features") == true)
    }

    @Test("Refuses a pickle that names a global outside the allow-list, and runs nothing")
    func refusesDisallowedGlobal() throws {
        let marker = "/tmp/datacomp-pickle-pwned"
        try? FileManager.default.removeItem(atPath: marker)
        let error = #expect(throws: DataCompError.self) {
            try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/malicious.pt"))
        }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.message.contains("posix.system") == true)
        #expect(error?.path?.hasSuffix("malicious.pt") == true)
        #expect(error?.position?.member?.hasSuffix("data.pkl") == true)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("Refuses the legacy format and bfloat16 tensors, saying how to convert them")
    func refusesLegacyAndBFloat16() throws {
        let legacy = #expect(throws: DataCompError.self) {
            try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/legacy.pt"))
        }
        #expect(legacy?.code == .unsupportedFormat)
        #expect(legacy?.message.contains("torch.save(obj, path)") == true)
        let bfloat = #expect(throws: DataCompError.self) {
            try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/bfloat16.pt"))
        }
        #expect(bfloat?.code == .unsupportedDataType)
        #expect(bfloat?.message.contains("BFloat16Storage") == true)
    }

    @Test("Hand-made pickles: a memo-shared list is one object; bombs, cycles and bad opcodes are errors")
    func handMadePickles() throws {
        let shared = try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/handmade_shared.pt"))
        #expect(Self.mismatch(shared.root, try #require(Self.expected["handmade_shared.pt"]), at: "shared") == nil)
        let bomb = #expect(throws: DataCompError.self) {
            try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/handmade_bomb.pt"))
        }
        #expect(bomb?.message.contains("more than") == true)
        for name in ["cycle", "no_stop", "unknown_opcode", "empty_stack", "unset_memo", "reduce_without_global"] {
            let error = #expect(throws: DataCompError.self, "\(name)") {
                try TorchCheckpoint(contentsOfFile: Fixtures.path("torch/handmade_\(name).pt"))
            }
            #expect(error?.position?.member == "archive/data.pkl", "\(name)")
        }
    }

    @Test("Mutated checkpoints only ever throw DataCompError")
    func mutatedCheckpoints() throws {
        var random = SplitMix64(seed: 0x70C4)
        let originals = try ["features.pt", "state_dict.pt", "mixed.pt", "array_protocol2.pt"].map {
            try Fixtures.bytes("torch/\($0)")
        }
        var detected = 0
        for iteration in 0..<3000 {
            var bytes = originals[iteration % originals.count]
            switch random.next() % 3 {
            case 0: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
            default:
                for _ in 0..<(1 + random.next() % 3) {
                    bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
                }
            }
            do {
                _ = try TorchCheckpoint(bytes: bytes)
            } catch is DataCompError {
                detected += 1
            } catch {
                Issue.record("iteration \(iteration): \(type(of: error)) \(error)")
            }
        }
        #expect(detected > 1000)
    }

    /// Compares a read value with torch_fixtures.py's JSON form; returns the first difference.
    static func mismatch(_ value: PickleValue, _ json: Any, at path: String) -> String? {
        if let object = json as? [String: Any] {
            if let dtype = object["dtype"] as? String {
                guard case .array(let array) = value else { return "\(path): expected an array, got \(value.kindName)" }
                let shape = (object["shape"] as? [Int]) ?? []
                guard array.shape == shape else { return "\(path): shape \(array.shape) != \(shape)" }
                let expectedType = [
                    "<f2": "<f2", "<f4": "<f4", "<f8": "<f8", "<i8": "<i8", "<i4": "<i4", "|i1": "|i1",
                    "|u1": "|u1", "|b1": "|b1",
                ][dtype]
                guard array.dataType.description == expectedType else {
                    return "\(path): dtype \(array.dataType) != \(dtype)"
                }
                let values = (object["values"] as? [Any]) ?? []
                let actual: [Double]
                switch array.dataType {
                case .int64: actual = ((try? array.scalars(as: Int64.self)) ?? []).map { Double($0) }
                case .int32: actual = ((try? array.scalars(as: Int32.self)) ?? []).map { Double($0) }
                case .int8: actual = ((try? array.scalars(as: Int8.self)) ?? []).map { Double($0) }
                case .uint8, .bool:
                    actual = array.withUnsafeBytes { Array($0) }.map { Double($0) }
                default: actual = ((try? array.floats()) ?? []).map { Double($0) }
                }
                let wanted = values.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
                if array.dataType == .int64 {
                    let exact = (try? array.scalars(as: Int64.self)) ?? []
                    let wantedExact = values.map { ($0 as? NSNumber)?.int64Value ?? 0 }
                    return exact == wantedExact ? nil : "\(path): \(exact) != \(wantedExact)"
                }
                // float16/32 values widen exactly; 1e-12 relative only absorbs the JSON parser's rounding, far
                // below the spacing of float32 values.
                let tolerance = 1e-12
                if array.dataType == .float64 {
                    let exact = (try? array.scalars(as: Double.self)) ?? []
                    let wantedExact = values.map { Double($0 as? String ?? "") ?? .nan }  // float.hex() strings
                    return exact == wantedExact ? nil : "\(path): \(exact) != \(wantedExact)"
                }
                return actual.count == wanted.count
                    && zip(actual, wanted).allSatisfy { abs($0 - $1) <= tolerance * abs($1) }
                    ? nil : "\(path): \(actual) != \(wanted)"
            }
            if let entries = object["dict"] as? [[Any]] {
                guard case .dictionary(let read) = value, read.count == entries.count else {
                    return "\(path): expected a dict of \(entries.count), got \(value.kindName)"
                }
                for (index, entry) in entries.enumerated() {
                    if let difference = mismatch(read[index].key, entry[0], at: "\(path).key[\(index)]") {
                        return difference
                    }
                    if let difference = mismatch(read[index].value, entry[1], at: "\(path)[\(entry[0])]") {
                        return difference
                    }
                }
                return nil
            }
            if let items = (object["list"] ?? object["tuple"]) as? [Any] {
                let isTuple = object["tuple"] != nil
                guard let read = value.elements, read.count == items.count,
                    isTuple == { if case .tuple = value { true } else { false } }()
                else {
                    return "\(path): expected \(isTuple ? "tuple" : "list") of \(items.count), got \(value.kindName)"
                }
                // Sets come out in pickle order; the JSON lists them sorted.
                let ordered =
                    object["list"] != nil && path.hasSuffix("set")
                    ? read.sorted { ($0.intValue ?? 0) < ($1.intValue ?? 0) } : read
                for (index, item) in items.enumerated() {
                    if let difference = mismatch(ordered[index], item, at: "\(path)[\(index)]") { return difference }
                }
                return nil
            }
            if let bytes = object["bytes"] as? [Int] {
                guard case .bytes(let read) = value, read.map(Int.init) == bytes else { return "\(path): bytes differ" }
                return nil
            }
            if let hex = object["float"] as? String {
                guard case .float(let read) = value, read == Double(hex) else { return "\(path): \(value) != \(hex)" }
                return nil
            }
            return "\(path): unknown JSON form \(object)"
        }
        if json is NSNull { return { if case .none = value { nil } else { "\(path): expected None" } }() }
        if let string = json as? String { return value.stringValue == string ? nil : "\(path): \(value) != \(string)" }
        if let number = json as? NSNumber {
            // JSON true/false arrive as NSNumber too: a bool matches by truth value.
            if case .bool(let read) = value { return read == number.boolValue ? nil : "\(path): \(read) != \(number)" }
            return value.intValue == number.intValue ? nil : "\(path): \(value) != \(number)"
        }
        return "\(path): unexpected JSON \(json)"
    }
}
