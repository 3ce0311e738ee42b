public import AvtalDomain

/// What the contract says beside what the customer and facility registers hold (kontroll's findings), each cell
/// marked when the two differ by the rules kontroll decides by (``RegisterComparison``). Pure: values only, the
/// template escapes them. Shown to MKA and to the seller alike: nothing here is about the credit check.
public enum RegisterComparisonView {
    /// One cell of a comparison: its text and whether it differs from the contract.
    static func cell(_ text: String, differs: Bool = false) -> [String: Any] {
        ["text": text, "differs": differs]
    }

    static func text(_ address: Address) -> String {
        "\(address.street), \(address.postalCode) \(address.city)"
    }

    /// The customer's rows — customer number, name, type and address — as `label`, `contract`, `register` cells;
    /// nil when the register has no record of the customer (or kontroll has not looked yet).
    public static func customerRows(_ customer: Customer, registered: RegisteredCustomerRecord?) -> [[String: Any]]? {
        guard let registered else { return nil }
        let person = [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        let name = customer.type == .business ? customer.companyName ?? person : person
        let contractType = typeLabel(business: customer.type == .business, soleProprietorship: customer.isSoleProprietorship)
        let registeredType = typeLabel(business: registered.type == "business", soleProprietorship: registered.isSoleProprietorship)
        let addressDiffers = registered.address.map { !RegisterComparison.sameAddress(customer.address, $0) } ?? false
        return [
            row("Kundnummer", contract: cell("–"), register: cell(registered.customerNumber)),
            row(
                "Namn", contract: cell(name),
                register: cell(registered.name, differs: RegisterComparison.customerConflicts(customer, registered: registered))),
            row("Kundtyp", contract: cell(contractType), register: cell(registeredType, differs: contractType != registeredType)),
            row("Adress", contract: cell(text(customer.address)), register: cell(registered.address.map(text) ?? "–", differs: addressDiffers)),
        ]
    }

    /// One row per facility of the contract, in its order: the anläggnings-ID, the price area (contract and
    /// register), the grid area, the current supplier, the earliest switch date, and the address (the facility's own,
    /// or the customer's when it has none, and the register's).
    public static func facilityRows(_ details: ContractDetails, records: [FacilityRecord]?) -> [[String: Any]] {
        var byId: [String: FacilityRecord] = [:]
        for record in records ?? [] { byId[record.meteringPointId] = record }
        let looked = records != nil
        return details.facilities.map { facility in
            let address = facility.address ?? details.customer.address
            let record = facility.meteringPointId.flatMap { byId[$0] }
            let unknown = looked && record == nil
            let status =
                facility.meteringPointId == nil
                ? "anläggnings-ID saknas" : unknown ? "finns inte i anläggningsregistret" : looked ? "" : "inte kontrollerad än"
            let tooEarly =
                !details.moveIn && (record?.earliestSwitchDate.flatMap(CivilDate.init).map { details.startDate < $0 } ?? false)
            return [
                "id": cell(facility.meteringPointId ?? "–", differs: facility.meteringPointId == nil || unknown),
                "status": status,
                "priceArea": cell(facility.priceArea.rawValue),
                "registeredPriceArea": cell(record?.priceArea ?? "–", differs: record.map { $0.priceArea != facility.priceArea.rawValue } ?? false),
                "gridArea": record?.gridArea ?? "–",
                "supplier": record?.currentSupplier ?? "–",
                "earliestSwitch": cell(record?.earliestSwitchDate ?? "–", differs: tooEarly),
                "address": cell(text(address)),
                "registeredAddress": cell(
                    record?.address.map(text) ?? "–", differs: record?.address.map { !RegisterComparison.sameAddress(address, $0) } ?? false),
            ]
        }
    }

    static func row(_ label: String, contract: [String: Any], register: [String: Any]) -> [String: Any] {
        ["label": label, "contract": contract, "register": register]
    }

    static func typeLabel(business: Bool, soleProprietorship: Bool) -> String {
        soleProprietorship ? "företag (enskild firma)" : business ? "företag" : "privat"
    }
}
