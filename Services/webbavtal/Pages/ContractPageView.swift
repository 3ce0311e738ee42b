public import AvtalBackOffice
public import AvtalContractStore
public import AvtalDomain
public import Foundation

/// What the contract page shows, from the store's contract and audit trail, and which of MKA's actions it offers.
/// Pure: values only, the template escapes them.
public enum ContractPageView {
    /// Who is looking: MKA gets the actions; a seller sees the status of a contract they sold.
    public enum Viewer: Sendable {
        case mka
        case seller
    }

    public static func context(
        _ contract: StoredContract, trail: [AuditRecord], viewer: Viewer, editForm: ContractForm? = nil, errors: FieldErrors = FieldErrors(),
        catalogue: ProductCatalogue, now: Date
    ) -> [String: Any] {
        let details = contract.details
        let customer = details.customer
        let name =
            customer.type == .business
            ? customer.companyName ?? "" : [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        let isMKA = viewer == .mka
        // A seller's page says nothing about the credit check (docs/back-office.md); MKA's has it on a row of its own.
        let findings = contract.findings.map { findings in
            [
                findings.existingCustomer.map { $0 ? "befintlig kund" : "ny kund" },
                findings.customerNumber.map { "kundnummer \($0)" },
                findings.knownFacilities.map { "kända anläggningar: \($0.count)" },
            ].compactMap { $0 }.joined(separator: ", ")
        }
        let customerRows = RegisterComparisonView.customerRows(customer, registered: contract.findings?.registeredCustomer)
        let formatter = ISO8601DateFormatter()
        var context: [String: Any] = [
            "id": contract.id.uuidString.lowercased(),
            "version": contract.version,
            "state": contract.state.rawValue,
            "stateLabel": StateLabels.label(contract.state),
            "reasons": contract.needsMKAReasons.map { ["code": $0.rawValue, "label": StateLabels.reason($0, detail: contract.needsMKADetail)] },
            "channel": StateLabels.channel(details.salesChannel) + (details.partner.map { " (\($0.partnerId): \($0.externalReference))" } ?? ""),
            "seller": details.sellerId ?? "",
            "foaId": details.foaId ?? "",
            "customer": name,
            "identity": customer.organizationNumber ?? customer.personalIdentityNumber ?? "",
            "email": customer.email ?? "",
            "phone": customer.phone ?? "",
            "address": "\(customer.address.street), \(customer.address.postalCode) \(customer.address.city)",
            "hasRegisteredCustomer": customerRows != nil,
            "registeredCustomer": customerRows ?? [],
            "customerStatus": contract.findings == nil
                ? "Kundregistret är inte tillfrågat än."
                : contract.findings?.existingCustomer == true
                    ? "Kunden finns i kundregistret (kundnummer \(contract.findings?.customerNumber ?? "–"))."
                    : "Kunden finns inte i kundregistret (ny kund).",
            "facilities": RegisterComparisonView.facilityRows(details, records: contract.findings?.facilityRecords),
            "product": catalogue.product(code: details.productCode)?.name ?? details.productCode,
            "startDate": details.startDate.description + (details.moveIn ? " (inflyttning)" : ""),
            "findings": findings ?? "inte kontrollerat än",
            "credit": isMKA ? contract.findings.flatMap(StateLabels.credit) ?? "" : "",
            "signing": details.requiresSignature
                ? (contract.signingDocumentId.map { "dokument \($0)" } ?? "väntar på signeringsbegäran")
                    + " (\(details.signatureMethod?.rawValue ?? "-"))"
                : "behövs inte",
            "trail": trail.map { record in
                [
                    "at": formatter.string(from: record.at), "actor": record.actor.description, "action": record.action.rawValue,
                    "from": record.fromState.map(StateLabels.label) ?? "", "to": record.toState.map(StateLabels.label) ?? "",
                    "reason": record.reason ?? "",
                ]
            },
            "isMKA": isMKA,
            "refresh": StateLabels.isTransient(contract.state),
        ]
        if isMKA {
            let withinWithdrawal = contract.confirmedAt.map { now.timeIntervalSince($0) < Lifecycle.withdrawalPeriod } ?? true
            context["mayDecide"] = contract.state == .needsMKA
            context["mayCancel"] = [.approved, .awaitingSignature, .signed].contains(contract.state) && withinWithdrawal
            context["mayRetryExport"] = contract.state == .exportFailed
            context["mayFinalize"] = contract.state == .readyForMKA
            if contract.state == .needsMKA || contract.state == .readyForMKA {
                context["edit"] = FormView.context(editForm ?? ContractForm(details), errors: errors, catalogue: catalogue, editing: true)
            }
        }
        return context
    }
}
