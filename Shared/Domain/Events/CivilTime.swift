/// A UTC instant to the millisecond as a ``CivilDate`` and the millisecond of its day, converted to and from
/// milliseconds since 1970 by arithmetic alone, and printed or read in ``Timestamp``'s one form,
/// `2026-11-29T10:15:00.123Z` (read also without the fraction). Only the years 1600–9999: Foundation counts the years
/// before 1582 in the Julian calendar, and keeps them.
struct CivilTime {
    var date: CivilDate
    /// 0 ..< 86 400 000.
    var millisecondOfDay: Int

    static let years = 1600...9999
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// The instant `milliseconds` after 1970-01-01T00:00:00Z; nil outside ``years``.
    init?(millisecondsSince1970 milliseconds: Int64) {
        var days = milliseconds / Self.millisecondsPerDay
        var rest = milliseconds % Self.millisecondsPerDay
        if rest < 0 {
            days -= 1
            rest += Self.millisecondsPerDay
        }
        let date = CivilDate(dayNumber: Int(days))
        guard Self.years.contains(date.year) else { return nil }
        self.date = date
        millisecondOfDay = Int(rest)
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ` or `YYYY-MM-DDTHH:MM:SSZ`, every field in its range; nil for anything else.
    init?(_ text: String) {
        var text = text
        guard let read = text.withUTF8(Self.read) else { return nil }
        self = read
    }

    private init(date: CivilDate, millisecondOfDay: Int) {
        self.date = date
        self.millisecondOfDay = millisecondOfDay
    }

    var millisecondsSince1970: Int64 {
        Int64(date.dayNumber) * Self.millisecondsPerDay + Int64(millisecondOfDay)
    }

    var text: String {
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, digits: Int, at offset: Int) {
            var rest = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(date.year, digits: 4, at: 0)
        put(date.month, digits: 2, at: 5)
        put(date.day, digits: 2, at: 8)
        put(millisecondOfDay / 3_600_000, digits: 2, at: 11)
        put(millisecondOfDay / 60_000 % 60, digits: 2, at: 14)
        put(millisecondOfDay / 1000 % 60, digits: 2, at: 17)
        put(millisecondOfDay % 1000, digits: 3, at: 20)
        for (offset, byte) in Self.separators { bytes[offset] = byte }
        bytes[19] = UInt8(ascii: ".")
        bytes[23] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Reading

    /// Where the date's and the time's separators stand, in both forms.
    private static let separators: [(offset: Int, byte: UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":")),
    ]

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilTime? {
        guard bytes.count == 24 || bytes.count == 20, bytes[bytes.count - 1] == UInt8(ascii: "Z"),
            separators.allSatisfy({ bytes[$0.offset] == $0.byte })
        else { return nil }
        func number(_ offset: Int, _ digits: Int) -> Int? {
            var value = 0
            for index in offset..<offset + digits {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        var millisecond = 0
        if bytes.count == 24 {
            guard bytes[19] == UInt8(ascii: "."), let fraction = number(20, 3) else { return nil }
            millisecond = fraction
        }
        guard let year = number(0, 4), years.contains(year), let month = number(5, 2), let day = number(8, 2),
            let date = CivilDate(year: year, month: month, day: day),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        return CivilTime(date: date, millisecondOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + millisecond)
    }
}
