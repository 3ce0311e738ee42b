import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing

@Suite("Routing keys")
struct RoutingTests {
    @Test("a stored contract is routed by its kind, so kontroll can never see a special contract", arguments: ContractKind.allCases)
    func contractStoredRouting(kind: ContractKind) {
        var snapshot = Samples.privateContract()
        snapshot.kind = kind
        let event = ContractStored(contractId: UUID(), snapshot: snapshot)
        #expect(event.routingKey == (kind == .special ? "contract.stored.special" : "contract.stored.standard"))
    }

    @Test("event types name and version the payload")
    func eventTypes() {
        #expect(ContractStored.eventType == EventType("ContractStored", version: 1))
        #expect(CreditChecked.eventType.description == "CreditChecked@v1")
        #expect(NeedsMKA(contractId: UUID(), reasons: []).routingKey == RoutingKey.needsMKA)
    }
}
