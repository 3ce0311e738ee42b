/// The mail gateway's receipt for a message.
public struct MailReceipt: Codable, Sendable, Equatable {
    public var reference: String

    public init(reference: String) {
        self.reference = reference
    }
}
