import AvtalGetAccept
import Foundation

/// The sandbox's GetAccept: documents, subscriptions and access tokens, in memory.
actor GetAcceptState {
    struct Recipient: Sendable {
        var id: String
        var firstName: String?
        var lastName: String?
        var email: String?
        var mobile: String?
        var role: String
        var verifyEid: Bool
    }

    struct Document: Sendable {
        var id: String
        var externalId: String?
        var name: String
        /// `sent`, `viewed`, `signed`, `rejected`, `expired`, `recalled`.
        var status: String
        var recipients: [Recipient]
        var smsSending: Bool
        var createdAt: Date
        var signedAt: Date?
        var expirationDate: Date?
    }

    struct Subscription: Sendable {
        var id: String
        var event: String
        var targetURL: String
    }

    /// A JSON body that crossed the wire: a request to an operation, or a webhook the sandbox sent.
    struct WireRecord: Sendable {
        /// The operation id (`CreateDocument`, …) or `Webhook`.
        var operation: String
        var body: String
    }

    private var wire: [WireRecord] = []
    private var documents: [String: Document] = [:]
    private var subscriptions: [Subscription] = []
    private var tokens: Set<String> = []

    func issueToken() -> String {
        let token = "sandbox-" + UUID().uuidString.lowercased()
        tokens.insert(token)
        return token
    }

    func isValid(token: String) -> Bool { tokens.contains(token) }

    func recordWire(_ operation: String, _ body: String) { wire.append(WireRecord(operation: operation, body: body)) }

    func wireRecords() -> [WireRecord] { wire }

    func create(_ document: Document) { documents[document.id] = document }

    func document(id: String) -> Document? { documents[id] }

    /// The most recent document with this external id (GetAccept answers one).
    func document(externalId: String) -> Document? {
        documents.values.filter { $0.externalId == externalId }.max { $0.createdAt < $1.createdAt }
    }

    /// The documents with this external id; nil: every document.
    func documents(externalId: String?) -> [Document] {
        guard let externalId else { return Array(documents.values) }
        return documents.values.filter { $0.externalId == externalId }
    }

    /// Moves a document to `status` unless it is already final; answers the document after the change, or nil when
    /// nothing changed.
    func move(_ id: String, to status: String) -> Document? {
        guard var document = documents[id], !["signed", "rejected", "expired", "recalled"].contains(document.status) else { return nil }
        document.status = status
        if status == "signed" { document.signedAt = Date() }
        documents[id] = document
        return document
    }

    func subscribe(event: String, targetURL: String) -> Subscription {
        let subscription = Subscription(id: UUID().uuidString.lowercased(), event: event, targetURL: targetURL)
        subscriptions.append(subscription)
        return subscription
    }

    func subscriptions(for event: String) -> [Subscription] { subscriptions.filter { $0.event == event } }
}

extension GetAcceptState.Document {
    /// The document in GetAccept's own shape.
    var schema: Components.Schemas.Document {
        let formatter = ISO8601DateFormatter()
        var document = Components.Schemas.Document()
        document.id = id
        document.externalId = externalId
        document.name = name
        document.status = status
        document.isSigned = status == "signed"
        document.isSigning = true
        document.createdAt = formatter.string(from: createdAt)
        document.signDate = signedAt.map(formatter.string)
        document.expirationDate = expirationDate.map(formatter.string)
        document.recipients = recipients.map { recipient in
            var schema = Components.Schemas.Recipient()
            schema.id = recipient.id
            schema.firstName = recipient.firstName
            schema.lastName = recipient.lastName
            schema.email = recipient.email
            schema.mobile = recipient.mobile
            schema.role = recipient.role
            schema.status = status
            if status == "signed", recipient.role == "signer" {
                let type: Components.Schemas.SigningMethod._TypePayload = recipient.verifyEid ? .eid : smsSending ? .sms : .signature
                schema.signingMethods = [.init(signedAt: signedAt.map(formatter.string), _type: type)]
            }
            return schema
        }
        return document
    }
}
