import AvtalDomain
import Testing

@Suite("Identifiers made for test data, demos and benchmarks")
struct IdentifierMakersTests {
    @Test("a made personnummer parses back to itself", arguments: [0, 7, 940, 999])
    func personnummer(serial: Int) throws {
        let born = CivilDate(year: 1964, month: 8, day: 23)!
        let made = Personnummer.make(born: born, serial: serial)
        let parsed = try Personnummer.parse(made.digits, today: CivilDate(year: 2026, month: 11, day: 29)!).get()
        #expect(parsed == made && parsed.birthDate == born)
        #expect(made.digits.dropFirst(8).prefix(3) == Substring(String(1000 + serial).suffix(3)))
    }

    @Test("the known sample personnummer is made from its parts")
    func known() {
        #expect(Personnummer.make(born: CivilDate(year: 1964, month: 8, day: 23)!, serial: 323).digits == "196408233234")
    }

    @Test("a made organisationsnummer parses back to itself as an aktiebolag", arguments: [(4016, 68), (0, 0), (7999, 999), (1234, 905)])
    func organisationsnummer(number: Int, serial: Int) throws {
        let made = Organisationsnummer.make(number: number, serial: serial)
        let parsed = try Organisationsnummer.parse(made.value).get()
        #expect(parsed == made && parsed.group == .aktiebolag)
        #expect(made.value.dropFirst(7).prefix(3) == Substring(String(1000 + serial).suffix(3)))
    }

    @Test("a known organisationsnummer is made from its parts")
    func knownOrganisation() {
        #expect(Organisationsnummer.make(number: 4016, serial: 68).value == "556016-0680")
    }

    @Test("a completed anläggnings-ID has the right check digit, and only 17-digit 735999 bodies are completed")
    func meteringPoint() {
        // 7·3 + 3·1 + 5·3 + 9·1 + 9·3 + 9·1 = 84, so the check digit is 6.
        #expect(MeteringPointId.completing("73599900000000000")?.value == "735999000000000006")
        #expect(MeteringPointId.completing("7359990000000000") == nil)
        #expect(MeteringPointId.completing("12345678901234567") == nil)
    }
}
