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
