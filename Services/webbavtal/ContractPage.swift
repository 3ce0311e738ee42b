import AvtalContractStore
import AvtalDomain
import Foundation

/// What the contract page shows, from the store's contract and audit trail. Pure: values only, the template escapes.
enum ContractPage {
    static func context(_ contract: StoredContract, trail: [AuditRecord]) -> [String: Any] {
        let details = contract.details
        let customer = details.customer
        let name =
            customer.type == .business
            ? customer.companyName ?? "" : [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        let findings = contract.findings.map { findings in
            [
                findings.existingCustomer.map { $0 ? "befintlig kund" : "ny kund" },
                findings.customerNumber.map { "kundnummer \($0)" },
                findings.creditCheckPerformed.map { $0 ? "kreditupplysning gjord" : "ingen kreditupplysning" },
                findings.knownFacilities.map { "kända anläggningar: \($0.count)" },
            ].compactMap { $0 }.joined(separator: ", ")
        }
        let formatter = ISO8601DateFormatter()
        return [
            "id": contract.id.uuidString.lowercased(),
            "state": contract.state.rawValue,
            "reasons": contract.needsMKAReasons.joined(separator: ", "),
            "channel": details.salesChannel.rawValue + (details.partner.map { " (\($0.partnerId): \($0.externalReference))" } ?? ""),
            "customer": name,
            "identity": customer.organizationNumber ?? customer.personalIdentityNumber ?? "",
            "email": customer.email ?? "",
            "phone": customer.phone ?? "",
            "address": "\(customer.address.street), \(customer.address.postalCode) \(customer.address.city)",
            "facilities": details.facilities.map { facility in
                "\(facility.meteringPointId ?? "anläggnings-ID saknas") (\(facility.priceArea.rawValue))"
            },
            "product": details.productCode,
            "startDate": details.startDate.description + (details.moveIn ? " (inflyttning)" : ""),
            "findings": findings ?? "inte kontrollerat än",
            "signing": details.requiresSignature
                ? (contract.signingDocumentId.map { "dokument \($0)" } ?? "väntar på signeringsbegäran")
                    + " (\(details.signatureMethod?.rawValue ?? "-"))"
                : "behövs inte",
            "trail": trail.map { record in
                [
                    "at": formatter.string(from: record.at), "actor": record.actor.description, "action": record.action,
                    "from": record.fromState?.rawValue ?? "", "to": record.toState?.rawValue ?? "", "reason": record.reason ?? "",
                ]
            },
        ]
    }
}
