public import AvtalThirdParty

/// The e-mail gateway: one message per reference, however often it is asked to send it.
public protocol MailGateway: Sendable {
    func send(_ mail: OutgoingMail) async throws(ThirdPartyError)
    func wasSent(reference: String) async throws(ThirdPartyError) -> Bool
}
