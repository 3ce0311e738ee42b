/// An e-mail to send, under our reference (the gateway's idempotency key).
public struct OutgoingMail: Codable, Sendable, Equatable {
    public var reference: String
    public var to: String
    public var subject: String
    public var text: String

    public init(reference: String, to: String, subject: String, text: String) {
        self.reference = reference
        self.to = to
        self.subject = subject
        self.text = text
    }
}
