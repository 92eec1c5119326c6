// libFuzzer target: the CLIP tokenizer on arbitrary bytes (ftfy repairs, HTML unescaping, NFC,
// pre-tokenisation, BPE), through both the String and the raw-UTF-8 column paths.
import DataCompCore
import Foundation
import _FuzzSupport

let tokenizer: CLIPTokenizer = {
    guard let path = try? AssetResolver().path(for: .clipVocabulary),
        let tokenizer = try? CLIPTokenizer(vocabularyAt: path)
    else {
        fatalError("the fuzz target needs the BPE vocabulary: run `datacomp assets fetch clip-vocabulary` first")
    }
    return tokenizer
}()
FuzzDriver.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    let row = tokenizer.tokenize(text, contextLength: 16)
    precondition(row.count == 16 && row[0] == Int64(tokenizer.startOfTextID), "a malformed row")
    let column = StringColumn(bytes: Array(bytes), offsets: [0, bytes.count])
    precondition(
        tokenizer.tokenize(column, contextLength: 16).ids == row, "the column path disagrees with the String path")
}
