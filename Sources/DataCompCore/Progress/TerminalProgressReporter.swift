/// Draws a one-line progress bar on standard error — label, bar, counts, rate and ETA — when
/// standard error is a terminal, and writes nothing otherwise.
///
/// ```text
/// pool stats  [##########..........]  13/26 shards  2.1 shards/s  ETA 6s
/// ```
///
/// The line is redrawn in place (carriage return) and ended with a newline when the job finishes.
public struct TerminalProgressReporter: ProgressReporter {
    /// Whether updates are drawn: standard error was a terminal when the reporter was made.
    public let isEnabled: Bool
    private let width: Int

    /// Creates a reporter for standard error.
    ///
    /// - Parameter barWidth: The number of cells of the bar.
    public init(barWidth: Int = 24) {
        isEnabled = Terminal.standardErrorIsTerminal
        width = max(4, barWidth)
    }

    /// Draws `update` (when enabled).
    ///
    /// - Parameter update: The update.
    public func report(_ update: ProgressUpdate) {
        guard isEnabled else { return }
        Terminal.writeToStandardError(
            "\r" + Self.line(update, barWidth: width) + "\u{1B}[K" + (update.isFinished ? "\n" : ""))
    }

    /// The text of one update, without control characters.
    ///
    /// - Parameters:
    ///   - update: The update.
    ///   - barWidth: The number of cells of the bar.
    /// - Returns: For example `scan  [#####.....]  5/10 shards  2.0 shards/s  ETA 2s`.
    public static func line(_ update: ProgressUpdate, barWidth: Int = 24) -> String {
        var parts = [update.label]
        if let total = update.total, total > 0 {
            let filled = min(barWidth, barWidth * min(update.completed, total) / total)
            parts.append(
                "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]")
            parts.append("\(update.completed)/\(total) \(update.unit)")
        } else {
            parts.append("\(update.completed) \(update.unit)")
        }
        if let rate = update.rate { parts.append(formatRate(rate) + " \(update.unit)/s") }
        if update.isFinished {
            parts.append("done in " + formatSeconds(update.elapsedSeconds))
        } else if let left = update.estimatedSecondsLeft {
            parts.append("ETA " + formatSeconds(left))
        }
        return parts.joined(separator: "  ")
    }

    private static func formatRate(_ rate: Double) -> String {
        if rate >= 100 { return String(Int(rate.rounded())) }
        return String(Double(Int((rate * 10).rounded())) / 10)
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format2(total % 60)))s" }
        return "\(total / 3600)h\(format2(total % 3600 / 60))m"
    }

    private static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
