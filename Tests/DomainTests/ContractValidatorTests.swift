import AvtalDomain
import AvtalTestSupport
import Testing

@Suite("Contract validation")
struct ContractValidatorTests {
    let validator = ContractValidator(today: Samples.today)

    func issues(_ details: ContractDetails) -> [String] {
        switch validator.validated(details) {
        case .success: []
        case .failure(let failure): failure.issues.map { "\($0.field):\($0.code)" }
        }
    }

    @Test("the samples of every kind are valid")
    func samplesAreValid() {
        #expect(issues(Samples.privateContract()) == [])
        #expect(issues(Samples.outboundBusinessContract()) == [])
        #expect(issues(Samples.specialContract()) == [])
    }

    @Test("identifiers are normalised on the way in")
    func normalises() throws {
        var details = Samples.privateContract()
        details.customer.personalIdentityNumber = "640823-3234"
        details.customer.phone = "070-123 45 67"
        details.customer.address.postalCode = "11122"
        details.customer.email = "Anna@Example.SE"
        let valid = try validator.validated(details).get()
        #expect(valid.customer.personalIdentityNumber == "196408233234")
        #expect(valid.customer.phone == "+46701234567")
        #expect(valid.customer.address.postalCode == "111 22")
        #expect(valid.customer.email == "Anna@example.se")
    }

    @Test("every problem is reported at once, each naming its field")
    func allAtOnce() {
        var details = Samples.privateContract()
        details.customer.personalIdentityNumber = "640823-3235"
        details.customer.email = "not-an-address"
        details.facilities[0].meteringPointId = "735999000000000007"
        details.startDate = Samples.today
        #expect(
            issues(details) == [
                "customer.personalIdentityNumber:checksum", "customer.email:format", "facilities[0].meteringPointId:checksum",
                "startDate:too_early",
            ]
        )
    }

    @Test(
        "cross-field rules",
        arguments: [
            ("private contract with a business customer", "customer.type:kind_mismatch"),
            ("phone sale without a call direction", "callDirection:required"),
            ("partner sale with a call direction", "callDirection:not_applicable"),
            ("outbound call without a signature method", "signatureMethod:required"),
            ("inbound call with a signature method", "signatureMethod:not_applicable"),
            ("SMS signing without a Swedish mobile", "signer.mobile:required"),
            ("business outbound call without a signer", "signer:required"),
            ("no facilities", "facilities:required"),
            ("the same facility twice", "facilities[1].meteringPointId:duplicate"),
            ("special contract without an FOA id", "foaId:required"),
            ("a switch starting in 13 days", "startDate:too_early"),
            ("a start 13 months ahead", "startDate:too_late"),
            ("both an organisationsnummer and a personnummer", "customer.personalIdentityNumber:not_applicable"),
        ]
    )
    func crossField(case name: String, expected: String) {
        var details: ContractDetails
        switch name {
        case "private contract with a business customer":
            details = Samples.privateContract()
            details.customer.type = .business
            details.customer.companyName = "X AB"
        case "phone sale without a call direction":
            details = Samples.outboundBusinessContract()
            details.callDirection = nil
            details.signatureMethod = nil
        case "partner sale with a call direction":
            details = Samples.privateContract()
            details.callDirection = .inbound
        case "outbound call without a signature method":
            details = Samples.outboundBusinessContract()
            details.signatureMethod = nil
        case "inbound call with a signature method":
            details = Samples.outboundBusinessContract()
            details.callDirection = .inbound
        case "SMS signing without a Swedish mobile":
            details = Samples.outboundBusinessContract()
            details.signatureMethod = .sms
            details.signer?.mobile = "08-123 456 78"
        case "business outbound call without a signer":
            details = Samples.outboundBusinessContract()
            details.signer = nil
        case "no facilities":
            details = Samples.privateContract()
            details.facilities = []
        case "the same facility twice":
            details = Samples.privateContract()
            details.facilities.append(details.facilities[0])
        case "special contract without an FOA id":
            details = Samples.specialContract()
            details.foaId = nil
        case "a switch starting in 13 days":
            details = Samples.privateContract()
            details.startDate = Samples.today.adding(days: 13)
        case "a start 13 months ahead":
            details = Samples.privateContract()
            details.startDate = Samples.today.adding(months: 13)
        default:
            details = Samples.outboundBusinessContract()
            details.customer.personalIdentityNumber = "196408233234"
        }
        #expect(issues(details).contains(expected), "\(issues(details))")
    }

    @Test("a move-in may start today; a switch 14 days from today")
    func startDates() {
        var moveIn = Samples.privateContract()
        moveIn.moveIn = true
        moveIn.startDate = Samples.today
        #expect(issues(moveIn) == [])
        var switching = Samples.privateContract()
        switching.startDate = Samples.today.adding(days: 14)
        #expect(issues(switching) == [])
    }

    @Test("a sole proprietorship is a business customer identified by a personnummer")
    func soleProprietorship() throws {
        var details = Samples.outboundBusinessContract()
        details.customer.organizationNumber = nil
        details.customer.personalIdentityNumber = "811218-9876"
        let valid = try validator.validated(details).get()
        #expect(valid.customer.isSoleProprietorship)
        #expect(!Samples.outboundBusinessContract().customer.isSoleProprietorship)
    }
}
