import AvtalDomain
import Foundation
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(
        "timestamps print in UTC with exactly three fraction digits, rounded, not truncated",
        arguments: [
            (1_790_000_000.123, "2026-09-21T14:13:20.123Z"),
            (1_790_000_000.0, "2026-09-21T14:13:20.000Z"),
            (1_790_000_000.9996, "2026-09-21T14:13:21.000Z"),
            (1_790_000_000.05, "2026-09-21T14:13:20.050Z"),
            (-0.5, "1969-12-31T23:59:59.500Z"),
        ]
    )
    func formatting(seconds: Double, expected: String) {
        #expect(Timestamp.string(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("parsing accepts timestamps with and without fractions and refuses anything else")
    func parsing() {
        #expect(Timestamp.date("2026-09-21T14:13:20.123Z") == Timestamp.rounded(Date(timeIntervalSince1970: 1_790_000_000.123)))
        #expect(Timestamp.date("2026-09-21T14:13:20Z") == Date(timeIntervalSince1970: 1_790_000_000))
        #expect(Timestamp.date("21/09/2026") == nil)
        #expect(Timestamp.date("") == nil)
    }
}

@Suite("Timestamps without Foundation's formatter")
struct TimestampArithmeticTests {
    /// Foundation's own ISO 8601 printing of whole milliseconds, as `Timestamp` printed before it did it by hand.
    private func foundationString(_ milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = Int(milliseconds - seconds * 1000)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
        return "\(whole.dropLast()).\(String(repeating: "0", count: 3 - String(millis).count))\(millis)Z"
    }

    @Test("printing and reading agree with Foundation's ISO 8601 style over years 0001 to 9999, leap days and the epoch's edges")
    func agreesWithFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        let edges: [Int64] = [
            0, -1, 1, -1000, 999, 951_782_400_000,  // 2000-02-29
            1_709_164_800_000,  // 2024-02-29
            -2_208_988_800_000,  // 1900-01-01
            253_402_300_799_999,  // 9999-12-31T23:59:59.999Z
            -11_676_096_000_000,  // 1600-01-01
            -11_676_096_000_001,  // 1599: Foundation's, with its Julian calendar before 1582
            -62_135_596_800_000,  // 0001-01-01
        ]
        let random = (0..<2000).map { _ in Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator) }
        for milliseconds in edges + random {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = Timestamp.string(date)
            #expect(text == foundationString(milliseconds), "\(milliseconds)")
            let slow = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
            #expect(Timestamp.date(text) == Timestamp.rounded(slow), "\(text)")
            #expect(Timestamp.date(text) == Timestamp.rounded(date), "\(text)")
        }
    }

    @Test(
        "a form out of range or not quite ours is read as Foundation reads it, never otherwise",
        arguments: [
            "2026-02-29T10:00:00.000Z", "2024-02-29T10:00:00.000Z", "2026-13-01T10:00:00.000Z", "2026-04-31T10:00:00Z",
            "2026-04-30T24:00:00Z", "2026-04-30T23:60:00Z", "2026-04-30T23:59:60Z", "2026-04-30T23:59:59.12Z",
            "2026-04-30 23:59:59Z", "2026-04-3aT23:59:59Z", "2026-11-29T11:15:00.123+01:00", "1500-01-01T00:00:00.000Z",
            "0000-01-01T00:00:00Z", "2026-11-29t10:15:00.123z",
        ]
    )
    func likeFoundation(text: String) {
        let foundation =
            (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
        #expect(Timestamp.date(text) == foundation.map(Timestamp.rounded))
    }

    @Test("an offset is read as the instant it names")
    func offset() {
        #expect(Timestamp.date("2026-11-29T11:15:00.123+01:00") == Timestamp.rounded(Date(timeIntervalSince1970: 1_795_947_300.123)))
        #expect(Timestamp.date("2024-02-29T10:00:00.000Z") == Date(timeIntervalSince1970: 1_709_200_800))
    }
}
