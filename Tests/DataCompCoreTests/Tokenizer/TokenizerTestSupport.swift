import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// The standard vocabulary, resolved once through ``AssetResolver`` (environment, cache, then
/// `pip download` of open-clip-torch 3.3.0 with its sha256 checked).
///
/// Scripts/test.sh fetches it
/// up front with `datacomp assets fetch clip-vocabulary`, so a failure here is an environment
/// problem that the error message explains.
enum StandardVocabulary {
    static let tokenizer: Result<CLIPTokenizer, DataCompError> = {
        do {
            return .success(try CLIPTokenizer(resolver: AssetResolver()))
        } catch let error as DataCompError {
            return .failure(error)
        } catch {
            return .failure(DataCompError(.missingAsset, "\(error)"))
        }
    }()

    static func load() throws -> CLIPTokenizer { try tokenizer.get() }
}

/// One case of Tests/Fixtures/tokenizer/captions.json.
struct TokenizerFixtureCase: Sendable {
    var text: String
    /// open_clip.tokenize(text)[0] up to and including <end_of_text>.
    var ids: [Int64]

    static func load() throws -> [TokenizerFixtureCase] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tokenizer/captions.json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        return try cases.map { item in
            let text = try #require(item["text"] as? String)
            let ids = try #require(item["ids"] as? [NSNumber]).map { $0.int64Value }
            return TokenizerFixtureCase(text: text, ids: ids)
        }
    }

    /// The full 77-long row (zero padded).
    var row: [Int64] { ids + [Int64](repeating: 0, count: 77 - ids.count) }
}
