public import AvtalDomain
public import AvtalXellent
public import Foundation

/// A finished special contract as Xellent's agreement, under our reference: the contract id. Pure.
public enum XellentMapping {
    public static func agreement(contractId: UUID, details: ContractDetails) -> XellentAgreement {
        let customer = details.customer
        let name = customer.companyName ?? [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        return XellentAgreement(
            reference: contractId.uuidString.lowercased(),
            foaId: details.foaId,
            customer: .init(
                organizationNumber: customer.organizationNumber, personalIdentityNumber: customer.personalIdentityNumber, name: name,
                email: customer.email, phone: customer.phone, street: customer.address.street, postalCode: customer.address.postalCode,
                city: customer.address.city),
            installations: details.facilities.map { facility in
                .init(
                    meteringPointId: facility.meteringPointId ?? "", priceArea: facility.priceArea.rawValue,
                    annualConsumptionKwh: facility.annualConsumptionKwh,
                    priceOrePerKwh: facility.priceOrePerKwh ?? details.specialTerms?.priceOrePerKwh)
            },
            productCode: details.productCode,
            startDate: details.startDate.description,
            contractMonths: details.specialTerms?.contractMonths)
    }
}
