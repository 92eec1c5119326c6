/// Zero-shot classifier weights built from class names and prompt templates, as clip_benchmark's
/// `zero_shot_classifier` builds them: for every class, each template with the class name in
/// place of `{c}` is encoded, each embedding L2-normalised, the embeddings averaged, and the mean
/// L2-normalised again.
///
/// ```swift
/// let classifier = try ZeroShotClassifier(
///     classNames: ["cat", "dog"], templates: ["a photo of a {c}.", "a drawing of a {c}."], encoder: encoder)
/// let logits = classifier.logits(for: imageFeatures)   // 100 · image · classifier
/// ```
public struct ZeroShotClassifier: Sendable {
    /// The class names, in label order.
    public let classNames: [String]
    /// `[classes, dimension]` unit-norm class embeddings.
    public let weights: Tensor

    /// Encodes every prompt of every class and averages them per class.
    ///
    /// - Parameters:
    ///   - classNames: The class names, in label order.
    ///   - templates: Prompt templates with a `{c}` placeholder (Python `str.format` syntax:
    ///     `{{` and `}}` stand for braces).
    ///   - encoder: The text encoder.
    ///   - batchSize: How many prompts are encoded at once.
    /// - Throws: `DataCompError` for a template with another placeholder, no templates, or
    ///   what the encoder throws.
    public init(classNames: [String], templates: [String], encoder: some ImageTextEncoder, batchSize: Int = 256) throws
    {
        guard !templates.isEmpty else {
            throw DataCompError(
                .invalidArgument, "no prompt templates; a zero-shot classifier needs at least one ({c} alone will do)")
        }
        let prompts = try classNames.flatMap { name in try templates.map { try Self.fill($0, with: name) } }
        let embeddings = try Embedding.embedTexts(prompts, encoder: encoder, batchSize: batchSize)
        try self.init(classNames: classNames, promptEmbeddings: embeddings, templateCount: templates.count)
    }

    /// Builds the classifier from prompt embeddings already computed.
    ///
    /// - Parameters:
    ///   - classNames: The class names, in label order.
    ///   - promptEmbeddings: `[classes × templates, dimension]` embeddings, class by class, each
    ///     class's templates in order (normalised here; they need not be).
    ///   - templateCount: The number of templates per class.
    /// - Throws: `DataCompError` when the shape is not `classes × templates` rows.
    public init(classNames: [String], promptEmbeddings: Tensor, templateCount: Int) throws {
        guard promptEmbeddings.rank == 2, templateCount > 0,
            promptEmbeddings.shape[0] == classNames.count * templateCount
        else {
            throw DataCompError(
                .shapeMismatch,
                "expected \(classNames.count) classes × \(templateCount) templates rows of prompt embeddings, found \(promptEmbeddings.shape)"
            )
        }
        let dimension = promptEmbeddings.shape[1]
        var weights = [Float](repeating: 0, count: classNames.count * dimension)
        promptEmbeddings.withUnsafeBufferPointer { values in
            for label in classNames.indices {
                var mean = [Float](repeating: 0, count: dimension)
                for template in 0..<templateCount {
                    let row = (label * templateCount + template) * dimension
                    let norm = Self.norm(values[row..<(row + dimension)])
                    for d in 0..<dimension { mean[d] += values[row + d] / norm }
                }
                for d in 0..<dimension { mean[d] /= Float(templateCount) }
                let norm = Self.norm(mean[...])
                for d in 0..<dimension { weights[label * dimension + d] = mean[d] / norm }
            }
        }
        self.classNames = classNames
        self.weights = Tensor(shape: [classNames.count, dimension], scalars: weights)
    }

    /// Zero-shot logits: `100 · normalize(image) · weightsᵀ`.
    ///
    /// - Parameter imageEmbeddings: `[images, dimension]` image embeddings (normalised here).
    /// - Returns: `[images, classes]` logits.
    public func logits(for imageEmbeddings: Tensor) -> Tensor {
        Tensor.matmul(imageEmbeddings.rowNormalized(), weights, transposeB: true).scaled(by: 100)
    }

    /// The prompt of `template` for `className`, as Python's `template.format(c=className)`.
    ///
    /// - Parameters:
    ///   - template: A template with `{c}` placeholders.
    ///   - className: The class name.
    /// - Returns: The prompt.
    /// - Throws: `DataCompError` for any other replacement field or an unmatched brace.
    public static func fill(_ template: String, with className: String) throws -> String {
        var result = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{" {
                if next < template.endIndex, template[next] == "{" {
                    result.append("{")
                    index = template.index(after: next)
                    continue
                }
                guard let close = template[next...].firstIndex(of: "}"), template[next..<close] == "c" else {
                    throw DataCompError(
                        .invalidFormat,
                        "template \"\(template)\" has a replacement field other than {c}; write literal braces as {{ and }}"
                    )
                }
                result += className
                index = template.index(after: close)
            } else if character == "}" {
                guard next < template.endIndex, template[next] == "}" else {
                    throw DataCompError(
                        .invalidFormat, "template \"\(template)\" has a single '}'; write a literal brace as }}")
                }
                result.append("}")
                index = template.index(after: next)
            } else {
                result.append(character)
                index = next
            }
        }
        return result
    }

    /// `max(‖v‖, 1e-12)`, as `F.normalize`.
    private static func norm(_ values: some Collection<Float>) -> Float {
        max(values.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
    }
}
