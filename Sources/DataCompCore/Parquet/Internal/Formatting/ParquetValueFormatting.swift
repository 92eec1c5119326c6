/// Text forms of logically typed Parquet values, as Python prints what pyarrow's `to_pylist()`
/// returns: `str(Decimal)`, `str(date)`, `str(datetime)` / `str(pandas.Timestamp)` and
/// `str(time)`.
enum ParquetValueFormatting {
    // MARK: Decimals

    /// Python's `str(Decimal)` of `sign · digits × 10^-scale` (`digits` without leading zeros,
    /// `"0"` for zero): plain notation when the exponent is not positive and the number has at
    /// most 6 leading zeros after the point, scientific notation (`1E-10`, `1.2E+3`) otherwise.
    static func decimalString(negative: Bool, digits: String, scale: Int) -> String {
        let coefficient = Array(digits)
        let exponent = -scale
        let leftDigits = exponent + coefficient.count
        let dotPlace = exponent <= 0 && leftDigits > -6 ? leftDigits : 1
        var integerPart: String
        var fractionPart = ""
        if dotPlace <= 0 {
            integerPart = "0"
            fractionPart = "." + String(repeating: "0", count: -dotPlace) + digits
        } else if dotPlace >= coefficient.count {
            integerPart = digits + String(repeating: "0", count: dotPlace - coefficient.count)
        } else {
            integerPart = String(coefficient[..<dotPlace])
            fractionPart = "." + String(coefficient[dotPlace...])
        }
        let exponentPart: String
        if leftDigits == dotPlace {
            exponentPart = ""
        } else {
            let shown = leftDigits - dotPlace
            exponentPart = "E" + (shown >= 0 ? "+" : "") + String(shown)
        }
        return (negative ? "-" : "") + integerPart + fractionPart + exponentPart
    }

    /// The sign and decimal digits of a big-endian two's-complement integer of any length.
    static func bigEndianTwosComplement(_ bytes: some Collection<UInt8>) -> (negative: Bool, digits: String) {
        var magnitude = Array(bytes)
        guard let first = magnitude.first else { return (false, "0") }
        let negative = first & 0x80 != 0
        if negative {
            // Negate: invert and add one.
            var carry = 1
            for index in magnitude.indices.reversed() {
                let value = Int(~magnitude[index]) + carry
                magnitude[index] = UInt8(truncatingIfNeeded: value)
                carry = value >> 8
            }
        }
        // Repeated division by 10^9 over 32-bit limbs.
        var limbs: [UInt32] = []
        var padded = [UInt8](repeating: 0, count: (4 - magnitude.count % 4) % 4) + magnitude
        while !padded.isEmpty {
            let chunk = padded.prefix(4)
            limbs.append(chunk.reduce(0) { $0 << 8 | UInt32($1) })
            padded.removeFirst(4)
        }
        var groups: [UInt32] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in limbs.indices {
                let value = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(value / 1_000_000_000)
                remainder = value % 1_000_000_000
            }
            groups.append(UInt32(remainder))
        }
        guard let top = groups.last else { return (false, "0") }
        var text = String(top)
        for group in groups.dropLast().reversed() {
            let part = String(group)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return (negative, text)
    }

    // MARK: Dates and times

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// `str(datetime.date)`: `YYYY-MM-DD`.
    static func date(days: Int64) -> String {
        let (year, month, day) = civil(days: days)
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// Splits `ticks` into whole seconds and a non-negative remainder of nanoseconds.
    private static func split(_ ticks: Int64, unit: ParquetTimeUnit) -> (seconds: Int64, nanoseconds: Int64) {
        let perSecond = unit.perSecond
        var seconds = ticks / perSecond
        var remainder = ticks % perSecond
        if remainder < 0 {
            seconds -= 1
            remainder += perSecond
        }
        return (seconds, remainder * (1_000_000_000 / perSecond))
    }

    /// The fraction of a second as Python prints it: nothing for zero, 6 digits of microseconds,
    /// or — for nanosecond data with a non-zero nanosecond part, as `pandas.Timestamp` does — 9.
    private static func fraction(_ nanoseconds: Int64, unit: ParquetTimeUnit, nanosecondDigits: Bool) -> String {
        if nanoseconds == 0 { return "" }
        if nanosecondDigits && unit == .nanoseconds && nanoseconds % 1000 != 0 { return "." + padded(nanoseconds, 9) }
        let microseconds = nanoseconds / 1000
        return microseconds == 0 ? "" : "." + padded(microseconds, 6)
    }

    /// `str(datetime)` (or `str(pandas.Timestamp)` for nanoseconds): `YYYY-MM-DD HH:MM:SS[.f]`,
    /// with `+00:00` for instants adjusted to UTC.
    static func timestamp(_ ticks: Int64, unit: ParquetTimeUnit, isAdjustedToUTC: Bool) -> String {
        let (seconds, nanoseconds) = split(ticks, unit: unit)
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        return date(days: days) + " " + clock(secondOfDay) + fraction(nanoseconds, unit: unit, nanosecondDigits: true)
            + (isAdjustedToUTC ? "+00:00" : "")
    }

    /// `str(datetime.time)`: `HH:MM:SS[.ffffff]` (nanoseconds are cut to microseconds).
    static func time(_ ticks: Int64, unit: ParquetTimeUnit) -> String {
        let (seconds, nanoseconds) = split(ticks, unit: unit)
        return clock(((seconds % 86_400) + 86_400) % 86_400)
            + fraction(nanoseconds, unit: unit, nanosecondDigits: false)
    }

    private static func clock(_ secondOfDay: Int64) -> String {
        padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2) + ":" + padded(secondOfDay % 60, 2)
    }

    /// The nanoseconds since the epoch of an INT96 timestamp (8 bytes of nanoseconds of the day,
    /// then 4 bytes of Julian day, little-endian), or `nil` when they overflow 64 bits.
    static func int96Nanoseconds(_ bytes: some Collection<UInt8>) -> Int64? {
        let b = Array(bytes)
        guard b.count == 12 else { return nil }
        var nanosOfDay: Int64 = 0
        for index in (0..<8).reversed() { nanosOfDay = nanosOfDay << 8 | Int64(b[index]) }
        var julian: Int64 = 0
        for index in (8..<12).reversed() { julian = julian << 8 | Int64(b[index]) }
        let days = Int64(Int32(truncatingIfNeeded: julian)) - 2_440_588
        let (dayNanos, overflow) = days.multipliedReportingOverflow(by: 86_400_000_000_000)
        guard !overflow else { return nil }
        let (total, overflow2) = dayNanos.addingReportingOverflow(nanosOfDay)
        return overflow2 ? nil : total
    }

    /// Lowercase hex digits of bytes.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return text
    }
}
