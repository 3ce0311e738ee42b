public import Foundation

/// Event timestamps: UTC, ISO 8601, whole milliseconds (`2026-11-29T10:15:00.123Z`).
///
/// A `Date` holds more precision than that, and formatting a binary fraction truncates (…123 ms can print as .122), so
/// times are rounded to the millisecond once, when an envelope is made, and printed from that integer.
///
/// Every event and every stored contract carries several, so the form we write — and read back — is printed and parsed
/// by hand, from the whole milliseconds (``CivilTime``); Foundation's ISO 8601 style, which builds calendar
/// components for each, cost more per message than the rest of a header's decoding (issue 19). Any other form of
/// ISO 8601 (an offset, no fraction, another year range) goes through Foundation's style as before.
public enum Timestamp {
    public static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: milliseconds(date) / 1000)
    }

    public static func string(_ date: Date) -> String {
        let total = Int64(milliseconds(date))
        if let text = CivilTime(millisecondsSince1970: total)?.text { return text }
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        let millis = Int(total - seconds * 1000)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
        let zeros = String(repeating: "0", count: 3 - String(millis).count)
        return "\(whole.dropLast()).\(zeros)\(millis)Z"
    }

    /// Parses ISO 8601 with or without fractional seconds; nil when `text` is not such a timestamp.
    public static func date(_ text: String) -> Date? {
        if let civil = CivilTime(text) { return Date(timeIntervalSince1970: Double(civil.millisecondsSince1970) / 1000) }
        let parsed =
            (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
        return parsed.map(rounded)
    }

    private static func milliseconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1000).rounded()
    }
}
