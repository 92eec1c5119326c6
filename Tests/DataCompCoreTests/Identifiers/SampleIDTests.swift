import DataCompCore
import Foundation
import Testing

@Suite struct SampleIDTests {
    @Test("Splits the README test vector into f0 and f1")
    func splitsTestVector() throws {
        // datacomp README / reference §2: f0 = 0x139e4a9b22a61477, f1 = 0x1f06c700a8ebe150.
        let id = try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150")
        #expect(id.high == 0x139e_4a9b_22a6_1477)
        #expect(id.low == 0x1f06_c700_a8eb_e150)
        #expect(id.hexString == "139e4a9b22a614771f06c700a8ebe150")
        #expect(id.description == id.hexString)
    }

    @Test("Accepts upper-case digits and always prints lowercase")
    func acceptsUpperCase() throws {
        let id = try SampleID(hex: "139E4A9B22A614771F06C700A8EBE150")
        #expect(id.hexString == "139e4a9b22a614771f06c700a8ebe150")
    }

    @Test(
        "Rejects text that is not exactly 32 hex digits",
        arguments: [
            "", "139e4a9b22a614771f06c700a8ebe15", "139e4a9b22a614771f06c700a8ebe1500",
            "139e4a9b22a614771f06c700a8ebe15g", " 139e4a9b22a614771f06c700a8ebe15", "139e4a9b22a61477-f06c700a8ebe150",
            "ü39e4a9b22a614771f06c700a8ebe15",
        ])
    func rejectsInvalidText(_ text: String) {
        #expect {
            _ = try SampleID(hex: text)
        } throws: { error in
            guard let error = error as? DataCompError else { return false }
            return error.code == .invalidIdentifier && error.message.contains("'\(text)'")
        }
    }

    @Test("Orders numerically, like the lowercase hex strings")
    func ordersNumerically() {
        var random = SplitMix64(seed: 3)
        let ids = (0..<500).map { _ in SampleID(high: random.next() & 0xF, low: random.next()) }
        #expect(ids.sorted().map(\.hexString) == ids.map(\.hexString).sorted())
        #expect(SampleID(high: 1, low: 0) > SampleID(high: 0, low: .max))
    }

    @Test("Round-trips through Codable as the hex string")
    func codableRoundTrip() throws {
        let id = try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"139e4a9b22a614771f06c700a8ebe150\"]")
        #expect(try JSONDecoder().decode([SampleID].self, from: data) == [id])
        #expect(throws: DataCompError.self) { try JSONDecoder().decode([SampleID].self, from: Data("[\"xyz\"]".utf8)) }
    }

    @Test("Parses uid lists, ignoring blank lines and naming the bad line")
    func parsesLists() throws {
        let text =
            "139e4a9b22a614771f06c700a8ebe150\r\n\n  00000000000000000000000000000001 \n139e4a9b22a614771f06c700a8ebe150"
        let ids = try SampleID.parseList(text)
        #expect(
            ids.map(\.hexString) == [
                "139e4a9b22a614771f06c700a8ebe150", "00000000000000000000000000000001",
                "139e4a9b22a614771f06c700a8ebe150",
            ])
        #expect {
            _ = try SampleID.parseList("139e4a9b22a614771f06c700a8ebe150\n\nnot-a-uid\n")
        } throws: { error in
            (error as? DataCompError)?.position == .line(3) && (error as? DataCompError)?.code == .invalidIdentifier
        }
    }
}
