import AvtalDomain
import Testing

/// The identifier rules of `DOMAIN.md`, as tables of valid and invalid examples. "Today" is fixed at 2026-11-29.
@Suite("Swedish identifiers")
struct IdentifierTests {
    static let today = CivilDate(year: 2026, month: 11, day: 29)!

    @Test(
        "valid personnummer in every accepted form normalise to 12 digits",
        arguments: [
            ("640823-3234", "196408233234"),
            ("6408233234", "196408233234"),
            ("196408233234", "196408233234"),
            ("19640823-3234", "196408233234"),
            ("640823+3234", "186408233234"),
            ("121212-1212", "201212121212"),
            ("811218-9876", "198112189876"),
            (" 811218-9876 ", "198112189876"),
        ]
    )
    func validPersonnummer(input: String, normalised: String) throws {
        let number = try Personnummer.parse(input, today: Self.today).get()
        #expect(number.digits == normalised)
        #expect(!number.isCoordinationNumber)
    }

    @Test("a samordningsnummer has 60 added to the day and is accepted as such")
    func samordningsnummer() throws {
        let number = try Personnummer.parse("701063-2391", today: Self.today).get()
        #expect(number.isCoordinationNumber)
        #expect(number.birthDate == CivilDate(year: 1970, month: 10, day: 3))
        #expect(number.digits == "197010632391")
    }

    @Test("the century of a 10-digit number is the latest that keeps the birth date in the past")
    func century() throws {
        // Born yesterday: this century. Born "tomorrow": a hundred years ago.
        #expect(try Personnummer.parse("261128-0005", today: Self.today).get().birthDate == CivilDate(year: 2026, month: 11, day: 28))
        #expect(try Personnummer.parse("261130-0001", today: Self.today).get().birthDate == CivilDate(year: 1926, month: 11, day: 30))
        let born = try Personnummer.parse("121212-1212", today: Self.today).get()
        #expect(born.birthDate == CivilDate(year: 2012, month: 12, day: 12))
    }

    @Test(
        "invalid personnummer are refused with a precise code",
        arguments: [
            ("640823-3235", IdentifierError.Code.checksum),
            ("640823-323", .format),
            ("6408233-234", .format),
            ("64O823-3234", .format),
            ("19640823+3234", .format),
            ("", .format),
            ("641323-3237", .date),  // month 13 (check digit valid for these digits)
            ("640230-3231", .date),  // 30 February (check digit valid for these digits)
            ("20640823-3234", .date),  // born in 2064
        ]
    )
    func invalidPersonnummer(input: String, code: IdentifierError.Code) {
        #expect(throws: IdentifierError.self) { try Personnummer.parse(input, today: Self.today).get() }
        if case .failure(let error) = Personnummer.parse(input, today: Self.today) {
            #expect(error.code == code, "\(input): \(error)")
        }
    }

    @Test("a personnummer's description is masked, so logging one shows no individual")
    func masked() throws {
        let number = try Personnummer.parse("640823-3234", today: Self.today).get()
        #expect("\(number)" == "19640823-****")
        #expect(!"\(number)".contains("3234"))
    }

    @Test(
        "organisationsnummer: valid forms normalise to NNNNNN-NNNN with their group",
        arguments: [
            ("556016-0680", "556016-0680", Organisationsnummer.Group.aktiebolag),
            ("5560160680", "556016-0680", .aktiebolag),
            ("165560160680", "556016-0680", .aktiebolag),
            ("212000-0142", "212000-0142", .stateOrMunicipality),
            ("802479-6545", "802479-6545", .nonProfitOrFoundation),
        ]
    )
    func validOrganisationsnummer(input: String, normalised: String, group: Organisationsnummer.Group) throws {
        let number = try Organisationsnummer.parse(input).get()
        #expect(number.value == normalised)
        #expect(number.group == group)
    }

    @Test(
        "invalid organisationsnummer are refused with a precise code",
        arguments: [
            ("556016-0681", IdentifierError.Code.checksum),
            ("640823-3234", .range),  // a personnummer: digits 3–4 are a month
            ("55601-60680", .format),
            ("145560160680", .format),  // 12 digits without the 16 prefix
            ("abc", .format),
        ]
    )
    func invalidOrganisationsnummer(input: String, code: IdentifierError.Code) {
        if case .failure(let error) = Organisationsnummer.parse(input) {
            #expect(error.code == code, "\(input): \(error)")
        } else {
            Issue.record("\(input) was accepted")
        }
    }

    @Test(
        "anläggnings-ID: 18 digits, prefix 735999, GS1 check digit",
        arguments: [
            ("735999000000000006", nil),
            ("735999123456789018", nil),
            ("735 999 555 000 123 458", nil),
            ("735999000000000007", IdentifierError.Code.checksum),
            ("73599900000000000", .format),
            ("735998000000000007", .range),
            ("73599900000000000X", .format),
        ]
    )
    func meteringPoints(input: String, code: IdentifierError.Code?) {
        switch MeteringPointId.parse(input) {
        case .success(let id):
            #expect(code == nil, "\(input) was accepted")
            #expect(id.value.count == 18)
        case .failure(let error):
            #expect(error.code == code, "\(input): \(error)")
        }
    }

    @Test(
        "postnummer: five digits, normalised to NNN NN",
        arguments: [("11122", "111 22"), ("111 22", "111 22"), ("98499", "984 99"), ("01234", nil), ("1112", nil), ("111-22", nil)]
    )
    func postalCodes(input: String, normalised: String?) {
        #expect((try? PostalCode.parse(input).get())?.value == normalised)
    }

    @Test(
        "e-mail addresses: the shape mail systems accept, domain lower-cased",
        arguments: [
            ("anna.andersson@example.se", "anna.andersson@example.se"),
            ("Anna+el@Example.SE", "Anna+el@example.se"),
            ("anna@example", nil),
            ("anna@@example.se", nil),
            ("anna example@example.se", nil),
            ("@example.se", nil),
            ("anna@-example.se", nil),
            ("anna..b@example.se", nil),
        ]
    )
    func emails(input: String, normalised: String?) {
        #expect((try? EmailAddress.parse(input).get())?.value == normalised)
    }

    @Test(
        "phone numbers normalise to E.164",
        arguments: [
            ("070-123 45 67", "+46701234567"),
            ("+46 70 123 45 67", "+46701234567"),
            ("0046701234567", "+46701234567"),
            ("+46 (0)70-123 45 67", "+46701234567"),
            ("08-123 456 78", "+46812345678"),
            ("+4712345678", "+4712345678"),
            ("12345", nil),
            ("070-12", nil),
            ("+46", nil),
            ("tel 0701234567", nil),
        ]
    )
    func phones(input: String, e164: String?) {
        #expect((try? PhoneNumber.parse(input).get())?.e164 == e164)
    }

    @Test("only Swedish mobile numbers can receive an SMS signing link")
    func mobiles() throws {
        #expect(try PhoneNumber.parse("070-123 45 67").get().isSwedishMobile)
        #expect(try !PhoneNumber.parse("08-123 456 78").get().isSwedishMobile)
    }

    @Test("civil dates: parsing, day arithmetic and month arithmetic")
    func civilDates() {
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate("2025-02-29") == nil)
        #expect(CivilDate("2025-2-28") == nil)
        #expect(CivilDate(year: 2026, month: 12, day: 31)!.adding(days: 1) == CivilDate(year: 2027, month: 1, day: 1))
        #expect(CivilDate(year: 2026, month: 1, day: 31)!.adding(months: 1) == CivilDate(year: 2026, month: 2, day: 28))
        #expect(CivilDate(dayNumber: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(Self.today.adding(days: 14).description == "2026-12-13")
    }

    @Test(
        "trimming removes leading and trailing whitespace of any kind and keeps the rest as it is",
        arguments: [
            ("Anna", "Anna"), ("  Anna Berg \n", "Anna Berg"), ("\tx", "x"), ("x\r\n", "x"), ("", ""), ("   ", ""),
            ("\u{00A0}Åsa\u{2003}", "Åsa"), ("Ö ", "Ö"), (" é", "é"), ("a  b", "a  b"), ("!~", "!~"),
        ]
    )
    func trimming(input: String, trimmed: String) {
        #expect(input.trimmingSpaces == trimmed)
    }
}
