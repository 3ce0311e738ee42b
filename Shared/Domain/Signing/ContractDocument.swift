/// The document a customer signs: the contract's terms in plain Swedish, rendered from the contract alone. Pure.
///
/// It names the parties, every facility, the product and its price model, the start date, and the right of
/// withdrawal (14 days from the customer's confirmation, `DOMAIN.md`), so the signed document is the contract.
public enum ContractDocument {
    public static let supplier = "Avtalsflöde Energi AB"

    public static func title(contractId: String) -> String { "Elavtal \(contractId.prefix(8))" }

    public static func render(contractId: String, details: ContractDetails, catalogue: ProductCatalogue = .current) -> String {
        let customer = details.customer
        let name =
            customer.type == .business
            ? (customer.companyName ?? "") : [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        let identity = customer.organizationNumber ?? customer.personalIdentityNumber.map(maskedPersonnummer) ?? ""
        let product = catalogue.product(code: details.productCode)
        var lines = [
            "ELAVTAL \(contractId)",
            "",
            "Elhandlare: \(supplier)",
            "Kund: \(name) (\(identity))",
            "Adress: \(customer.address.street), \(customer.address.postalCode) \(customer.address.city)",
        ]
        if let signer = details.signer { lines.append("Undertecknas av: \(signer.firstName) \(signer.lastName)") }
        lines.append("")
        for (index, facility) in details.facilities.enumerated() {
            let id = facility.meteringPointId ?? "anges senare"
            let use = facility.annualConsumptionKwh.map { ", beräknad årsförbrukning \($0) kWh" } ?? ""
            lines.append("Anläggning \(index + 1): anläggnings-ID \(id), elområde \(facility.priceArea.rawValue)\(use)")
        }
        lines += [
            "",
            "Produkt: \(product?.name ?? details.productCode)\(product.map { " — " + priceModel($0) } ?? "")",
            "Avtalet börjar gälla: \(details.startDate)\(details.moveIn ? " (inflyttning)" : " (byte av elhandlare)")",
            "",
            "Ångerrätt: Du har rätt att ångra avtalet inom 14 dagar från den dag du bekräftade det. Om leveransen börjar",
            "under ångerfristen på din begäran betalar du för den el du har förbrukat.",
        ]
        return lines.joined(separator: "\n")
    }

    static func priceModel(_ product: Product) -> String {
        switch product.pricing {
        case .fixed: "fast pris per kWh i \(product.bindingMonths ?? 12) månader"
        case .variable: "rörligt pris: månadens medelpris plus påslag"
        case .hourly: "timpris: spotpriset per timme plus påslag"
        }
    }

    /// The document shows the birth date, not the whole personnummer.
    static func maskedPersonnummer(_ digits: String) -> String {
        digits.count == 12 ? String(digits.prefix(8)) + "-****" : "****"
    }
}
