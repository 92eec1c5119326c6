import DataCompCore

/// What a filter run did: the strategy and its parameters, the pool it read, how many samples
/// each rule saw and kept, the thresholds it computed, and how long it took.
///
/// ``FilterResult/write(to:)`` writes it beside the subset as JSON; `datacomp subset show`
/// prints it.
public struct FilterReport: Sendable {
    /// One rule's counts: the samples it saw (those still undecided when it ran) and kept.
    public struct RuleCount: Sendable, Hashable {
        /// The rule's description.
        public var rule: String
        /// The samples the rule saw.
        public var seen: Int
        /// The samples it kept.
        public var kept: Int
        /// The samples it dropped.
        public var dropped: Int { seen - kept }
    }

    /// A threshold computed from the whole pool for a top-fraction selection.
    public struct Threshold: Sendable, Hashable {
        /// The selection's description.
        public var selection: String
        /// The fraction of the pool asked for.
        public var fraction: Double
        /// The number of scores ranked (the pool size).
        public var scoreCount: Int
        /// The 0-based rank of the threshold in descending order (`int(scoreCount × fraction)`).
        public var rank: Int
        /// The threshold: samples scoring at least this much are kept.
        public var value: Float
    }

    /// The strategy's description.
    public var strategy: String
    /// The strategy's parameters.
    public var parameters: [(String, JSONValue)]
    /// The samples of the pool the run read.
    public var samplesSeen: Int
    /// The samples kept (the subset's size).
    public var samplesKept: Int
    /// Every rule's counts, outermost first.
    public var rules: [RuleCount]
    /// The thresholds computed from the whole pool.
    public var thresholds: [Threshold]
    /// The metadata files read, with their sizes and row counts.
    public var pool: [FileFingerprint]
    /// The assets the strategy used (models, word lists), with their SHA-256.
    public var assets: [FileFingerprint]
    /// The tool that ran (`DataCompVersion.toolName`).
    public var tool: String
    /// The wall-clock time of the run, in seconds.
    public var elapsedSeconds: Double

    /// The samples dropped.
    public var samplesDropped: Int { samplesSeen - samplesKept }

    /// The report as DataComp-style JSON: an object whose keys are snake_case.
    public var jsonValue: JSONValue {
        .object([
            ("strategy", .string(strategy)),
            ("parameters", .object(parameters)),
            ("samples_seen", .int(samplesSeen)),
            ("samples_kept", .int(samplesKept)),
            ("samples_dropped", .int(samplesDropped)),
            (
                "rules",
                .array(
                    rules.map {
                        .object([
                            ("rule", .string($0.rule)), ("seen", .int($0.seen)), ("kept", .int($0.kept)),
                            ("dropped", .int($0.dropped)),
                        ])
                    })
            ),
            (
                "thresholds",
                .array(
                    thresholds.map {
                        .object([
                            ("selection", .string($0.selection)), ("fraction", .double($0.fraction)),
                            ("scores", .int($0.scoreCount)), ("rank", .int($0.rank)),
                            ("threshold", .shortest($0.value)),
                        ])
                    })
            ),
            ("pool", .array(pool.map(\.jsonValue))),
            ("assets", .array(assets.map(\.jsonValue))),
            ("tool", .string(tool)),
            ("elapsed_seconds", .double(elapsedSeconds)),
        ])
    }
}

extension JSONValue {
    /// A `Float` as the JSON number of its shortest decimal form (0.025, not 0.02500000037…).
    static func shortest(_ value: Float) -> JSONValue { .double(Double("\(value)") ?? Double(value)) }
}
