import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct SHA256Tests {
    // FIPS 180-4 / NIST CAVP example vectors.
    @Test(
        "Matches the NIST example digests",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ])
    func matchesNISTVectors(_ input: String, _ expected: String) {
        #expect(SHA256.hash(Array(input.utf8)).hexString == expected)
    }

    @Test("Hashes one million 'a' characters in uneven chunks")
    func hashesMillionAs() {
        let data = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = SHA256()
        var offset = 0
        var chunk = 1
        while offset < data.count {
            let end = min(data.count, offset + chunk)
            hasher.update(data[offset..<end])
            offset = end
            chunk = chunk * 3 % 1000 + 1
        }
        // NIST: SHA-256 of 10^6 × 'a'.
        #expect(hasher.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("Agrees with Python hashlib on every NumPy fixture")
    func agreesWithHashlib() throws {
        // Expected digests: hashlib.sha256 (Python 3.11, refenv) in Scripts/fixtures/numpy_fixtures.py.
        #expect(NumPyFixtures.npyEntries.count == 50)
        for entry in NumPyFixtures.npyEntries {
            #expect(
                try SHA256.hash(fileAt: Fixtures.path("numpy/" + entry.file)).hexString == entry.sha256, "\(entry.file)"
            )
        }
    }
}
