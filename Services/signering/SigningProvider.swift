public import AvtalDomain
public import Foundation

/// A document at the signing provider, as far as signering needs to know it.
public struct SigningDocument: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        /// Created, sent, viewed, partially signed: still waiting for the signer.
        case pending
        case signed
        case rejected
        case expired
        /// Recalled or deleted by us.
        case recalled
    }

    public var id: String
    public var externalId: String?
    public var status: Status
    public var signedAt: Date?
    public var method: SignatureMethod?
    public var recipientId: String?

    public init(
        id: String, externalId: String?, status: Status, signedAt: Date? = nil, method: SignatureMethod? = nil, recipientId: String? = nil
    ) {
        self.id = id
        self.externalId = externalId
        self.status = status
        self.signedAt = signedAt
        self.method = method
        self.recipientId = recipientId
    }
}

/// What a send came to: the document, and whether another document of the same external id may exist — a create
/// went out before the one that answered and its answer was lost, so it may have landed too. Only then need the
/// round's other documents be looked for (and recalled).
public struct SentDocument: Sendable, Equatable {
    public var document: SigningDocument
    public var mayHaveTwin: Bool

    public init(_ document: SigningDocument, mayHaveTwin: Bool) {
        self.document = document
        self.mayHaveTwin = mayHaveTwin
    }
}

/// What to send for signing: the document, who signs it and how.
public struct SigningRequest: Sendable, Equatable {
    /// Our reference, unique per contract and signing round: the provider's `external_id`.
    public var externalId: String
    public var name: String
    public var text: String
    public var method: SignatureMethod
    public var signer: Recipient
    public var expiresAt: Date

    public struct Recipient: Sendable, Equatable {
        public var firstName: String
        public var lastName: String
        public var email: String?
        /// E.164.
        public var mobile: String?
        public var companyName: String?

        public init(firstName: String, lastName: String, email: String?, mobile: String?, companyName: String? = nil) {
            self.firstName = firstName
            self.lastName = lastName
            self.email = email
            self.mobile = mobile
            self.companyName = companyName
        }
    }

    public init(externalId: String, name: String, text: String, method: SignatureMethod, signer: Recipient, expiresAt: Date) {
        self.externalId = externalId
        self.name = name
        self.text = text
        self.method = method
        self.signer = signer
        self.expiresAt = expiresAt
    }
}

public struct SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No answer, a timeout or a 5xx after the retries: try again later.
        case unavailable
        /// The provider refused the request (a 4xx): sending it again will not help.
        case rejected
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

/// The e-signing provider (GetAccept), behind a protocol so the service's logic does not depend on its wire format.
public protocol SigningProvider: Sendable {
    /// Creates the document and sends it to the signer at once. A create whose answer was lost is never repeated
    /// without first asking for the document by its external id.
    func send(_ request: SigningRequest) async throws(SigningError) -> SentDocument
    func document(id: String) async throws(SigningError) -> SigningDocument?
    func document(externalId: String) async throws(SigningError) -> SigningDocument?
    /// Every document with this external id, oldest first (status and id only): more than one means a create was
    /// repeated, and all but one must be recalled.
    func documents(externalId: String) async throws(SigningError) -> [SigningDocument]
    func remind(documentId: String) async throws(SigningError)
    /// Withdraws the document so it can no longer be signed.
    func recall(documentId: String) async throws(SigningError)
    /// Asks the provider to call `targetURL` on these events.
    func subscribe(events: [String], targetURL: String) async throws(SigningError)
}
