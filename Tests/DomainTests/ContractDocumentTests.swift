import AvtalDomain
import AvtalTestSupport
import Testing

/// The document a customer signs names the parties, every facility, the product, the start and the right of withdrawal.
@Suite("Contract document")
struct ContractDocumentTests {
    @Test("a business phone sale's document")
    func business() {
        let text = ContractDocument.render(contractId: "c0ffee00-1111", details: Samples.outboundBusinessContract(facility: 4))
        #expect(text.contains("Kund: Exempel AB (556016-0680)"))
        #expect(text.contains("Undertecknas av: Bo Berg"))
        #expect(text.contains("anläggnings-ID \(Samples.meteringPointId(4)), elområde SE4"))
        #expect(text.contains("Timpris"))
        #expect(text.contains("Avtalet börjar gälla: \(Samples.today.adding(days: 20))"))
        #expect(text.contains("Ångerrätt") && text.contains("14 dagar"))
    }

    @Test("a private customer's personnummer shows only as the birth date")
    func masked() {
        let text = ContractDocument.render(contractId: "c0ffee00-2222", details: Samples.privateContract())
        #expect(text.contains("Anna Andersson (19640823-****)"))
        #expect(!text.contains("196408233234"))
        #expect(text.contains("Fast pris 12 månader — fast pris per kWh i 12 månader"))
    }

    @Test("a facility without an id says it comes later")
    func missingFacilityId() {
        var details = Samples.privateContract()
        details.facilities = [Facility(priceArea: .se2)]
        #expect(ContractDocument.render(contractId: "x", details: details).contains("anläggnings-ID anges senare, elområde SE2"))
    }
}
