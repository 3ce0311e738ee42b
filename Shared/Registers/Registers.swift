public import AvtalDomain
public import AvtalThirdParty

/// The customer register (Xellent): who is already our customer, by personnummer (12 digits) or organisationsnummer.
public protocol CustomerRegister: Sendable {
    func customer(identity: String) async throws(ThirdPartyError) -> RegisteredCustomerRecord?
}

/// The facility register: what is known of a metering point.
public protocol FacilityRegister: Sendable {
    func facility(meteringPointId: String) async throws(ThirdPartyError) -> FacilityRecord?
}
