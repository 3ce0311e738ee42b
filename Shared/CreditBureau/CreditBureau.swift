public import AvtalThirdParty

/// The credit bureau, behind our own interface: a check is made under our reference, at most once per reference,
/// and the bureau can be asked what happened to a reference (after a crash, instead of checking again).
public protocol CreditBureau: Sendable {
    func check(_ request: CreditCheckRequest) async throws(ThirdPartyError) -> CreditReport
    func report(reference: String) async throws(ThirdPartyError) -> CreditReport?
}
