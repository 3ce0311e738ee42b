public import AsyncHTTPClient
import AvtalDomain
import AvtalGetAccept
public import AvtalThirdParty
public import Foundation
import HTTPTypes
public import Logging
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// ``SigningProvider`` over GetAccept's API, through the client generated from GetAccept's own OpenAPI document.
///
/// Authenticates with `POST /auth` and keeps the token until GetAccept refuses it. Each call times out after
/// `timeout`, and an unanswered call or a 5xx is tried up to three times with jittered backoff; a 4xx is
/// ``SigningError/Code/rejected`` at once. Personal data (names, e-mail, phone) is never logged.
public final class GetAcceptSigning: SigningProvider {
    public struct Credentials: Sendable {
        public var email: String
        public var password: String

        public init(email: String, password: String) {
            self.email = email
            self.password = password
        }
    }

    private let client: Client
    private let credentials: Credentials
    private let tokens: BearerTokens
    private let logger: Logger

    public init(
        baseURL: URL, credentials: Credentials, httpClient: HTTPClient = ThirdPartyHTTP.client, timeout: Duration = .seconds(10), logger: Logger
    ) {
        let tokens = BearerTokens()
        self.tokens = tokens
        self.client = Client(
            serverURL: baseURL,
            transport: AsyncHTTPClientTransport(configuration: .init(client: httpClient, timeout: .init(timeout))),
            middlewares: [ThirdPartyCallMiddleware(system: "getaccept"), BearerMiddleware(tokens: tokens)]
        )
        self.credentials = credentials
        self.logger = logger
    }

    // MARK: SigningProvider

    public func send(_ request: SigningRequest) async throws(SigningError) -> SentDocument {
        typealias Body = Operations.CreateDocument.Input.Body.JsonPayload
        let signer = request.signer
        var recipient = Body.RecipientsPayloadPayload(
            companyName: signer.companyName, email: signer.email, firstName: signer.firstName, lastName: signer.lastName, mobile: signer.mobile,
            role: .signer)
        if request.method == .bankId {
            recipient.verifyEid = true
            recipient.verifyEidType = "se-bankid"
        }
        if request.method == .sms { recipient.verifySmsSign = true }
        let body = Body(
            expirationDate: request.expiresAt, externalId: request.externalId,
            fileContent: Data(request.text.utf8).base64EncodedString(), fileName: "\(request.externalId).txt",
            isAutomaticSending: true, isReminderSending: false, isSigning: true, isSmsSending: request.method == .sms,
            name: request.name, recipients: [recipient])
        // Never a second create on a hunch: after a create that got no answer (a timeout, a 5xx), the document may
        // exist all the same, so GetAccept is asked for it by our external id before creating again.
        var last = SigningError(.unavailable, "CreateDocument: no attempt")
        for attempt in 0..<3 {
            // A moment first: a create that reached GetAccept just as we gave up may still be on its way in.
            if attempt > 0 { try? await Task.sleep(for: .seconds(1)) }
            if attempt > 0, let created = try await document(externalId: request.externalId) {
                logger.notice(
                    "a create whose answer was lost had made the document; it is not created again", metadata: ["avtal.attempt": "\(attempt)"])
                return SentDocument(created, mayHaveTwin: true)
            }
            do {
                let created = try await retrying("CreateDocument", attempts: 1) {
                    switch try await self.client.createDocument(body: .json(body)) {
                    case .ok(let ok):
                        guard let document = try? ok.body.json, let mapped = Self.map(document) else {
                            throw SigningError(.rejected, "CreateDocument answered without a document id")
                        }
                        return mapped
                    case .badRequest(let invalid): throw SigningError(.rejected, "CreateDocument refused: \(Self.describe(invalid))")
                    case .unauthorized: throw self.unauthorized("CreateDocument")
                    case .undocumented(let status, _): throw Self.error(status, "CreateDocument")
                    }
                }
                // An earlier attempt's create got no answer: it may land after this one's.
                return SentDocument(created, mayHaveTwin: attempt > 0)
            } catch let error where error.code == .rejected {
                throw error
            } catch {
                last = error
            }
        }
        throw last
    }

    public func document(id: String) async throws(SigningError) -> SigningDocument? {
        try await retrying("GetDocumentDetails") {
            switch try await self.client.getDocumentDetails(path: .init(documentId: id)) {
            case .ok(let ok): return (try? ok.body.json).flatMap(Self.map)
            case .notFound: return nil
            case .unauthorized, .forbidden: throw self.unauthorized("GetDocumentDetails")
            case .undocumented(let status, _): throw Self.error(status, "GetDocumentDetails")
            }
        }
    }

    public func document(externalId: String) async throws(SigningError) -> SigningDocument? {
        try await retrying("GetDocumentByExternalId") {
            switch try await self.client.getDocumentByExternalId(path: .init(externalId: externalId)) {
            case .ok(let ok): return (try? ok.body.json).flatMap(Self.map)
            case .notFound: return nil
            case .unauthorized: throw self.unauthorized("GetDocumentByExternalId")
            case .undocumented(let status, _): throw Self.error(status, "GetDocumentByExternalId")
            }
        }
    }

    public func documents(externalId: String) async throws(SigningError) -> [SigningDocument] {
        try await retrying("ListDocuments") {
            switch try await self.client.listDocuments(query: .init(showall: true, externalId: externalId)) {
            case .ok(let ok):
                let listed = (try? ok.body.json) ?? []
                return listed.compactMap { item -> SigningDocument? in
                    guard let id = item.id, !id.isEmpty else { return nil }
                    return SigningDocument(id: id, externalId: externalId, status: Self.status(item.status, isSigned: false))
                }
            case .unauthorized: throw self.unauthorized("ListDocuments")
            case .undocumented(let status, _): throw Self.error(status, "ListDocuments")
            }
        }
    }

    public func remind(documentId: String) async throws(SigningError) {
        try await retrying("SendReminder") {
            let body = Operations.SendReminder.Input.Body.JsonPayload(
                notSigned: true, text: "Påminnelse: ditt elavtal väntar på din underskrift.", _type: .email)
            switch try await self.client.sendReminder(path: .init(documentId: documentId), body: .json(body)) {
            case .ok: return
            case .badRequest(let invalid): throw SigningError(.rejected, "SendReminder refused: \(Self.describe(invalid))")
            case .notFound: throw SigningError(.rejected, "SendReminder: no such document")
            case .unauthorized: throw self.unauthorized("SendReminder")
            case .undocumented(let status, _): throw Self.error(status, "SendReminder")
            }
        }
    }

    public func recall(documentId: String) async throws(SigningError) {
        try await retrying("DeleteDocument") {
            switch try await self.client.deleteDocument(path: .init(documentId: documentId)) {
            case .noContent, .notFound: return
            case .unauthorized: throw self.unauthorized("DeleteDocument")
            case .undocumented(let status, _): throw Self.error(status, "DeleteDocument")
            }
        }
    }

    public func subscribe(events: [String], targetURL: String) async throws(SigningError) {
        for event in events {
            guard let payload = Operations.CreateSubscription.Input.Body.JsonPayload.EventPayload(rawValue: event) else {
                throw SigningError(.rejected, "GetAccept has no event \(event)")
            }
            try await retrying("CreateSubscription") {
                switch try await self.client.createSubscription(body: .json(.init(event: payload, targetUrl: targetURL))) {
                case .ok: return
                case .badRequest(let invalid): throw SigningError(.rejected, "CreateSubscription refused: \(Self.describe(invalid))")
                case .unauthorized: throw self.unauthorized("CreateSubscription")
                case .undocumented(let status, _): throw Self.error(status, "CreateSubscription")
                }
            }
        }
    }

    // MARK: Retries and authentication

    /// Runs `operation` after making sure there is a token, up to `attempts` times while it fails with no answer, a
    /// 5xx or a refused token; a ``SigningError/Code/rejected`` ends it at once.
    private func retrying<T: Sendable>(
        _ name: String, attempts: Int = 3, _ operation: @escaping @Sendable () async throws -> T
    ) async throws(SigningError) -> T {
        var last = SigningError(.unavailable, "\(name): no attempt")
        for attempt in 0..<attempts {
            if Task.isCancelled { throw SigningError(.unavailable, "\(name): cancelled") }
            if attempt > 0 {
                let base = 200 * (1 << (attempt - 1))
                try? await Task.sleep(for: .milliseconds(base + Int.random(in: 0...base)))
            }
            do {
                try await tokens.ensure { try await self.authenticate() }
                return try await operation()
            } catch let error as SigningError where error.code == .rejected {
                throw error
            } catch let error as SigningError {
                last = error
            } catch {
                last = SigningError(.unavailable, "\(name): \(type(of: error))")
            }
            logger.warning(
                "GetAccept call failed", metadata: ["avtal.operation": "\(name)", "avtal.attempt": "\(attempt + 1)", "avtal.error": "\(last)"])
        }
        throw SigningError(.unavailable, "\(last.detail) (\(attempts) attempt\(attempts == 1 ? "" : "s"))")
    }

    private func unauthorized(_ operation: String) -> SigningError {
        tokens.clear()
        return SigningError(.unavailable, "\(operation): GetAccept refused the token")
    }

    private func authenticate() async throws -> String {
        let output = try await client.authenticate(body: .json(.init(email: credentials.email, password: credentials.password)))
        guard case .ok(let ok) = output, let fresh = try ok.body.json.accessToken, !fresh.isEmpty else {
            throw SigningError(.unavailable, "GetAccept refused our credentials")
        }
        return fresh
    }

    // MARK: Mapping

    static func map(_ document: Components.Schemas.Document) -> SigningDocument? {
        guard let id = document.id, !id.isEmpty else { return nil }
        let status = status(document.status, isSigned: document.isSigned == true)
        let signer = document.recipients?.first { $0.role == "signer" } ?? document.recipients?.first
        let signing = signer?.signingMethods?.first
        let method: SignatureMethod? =
            switch signing?._type {
            case .eid: .bankId
            case .sms: .sms
            case .signature, .biometric, .initials: .email
            case nil: nil
            }
        let signedAt = (signing?.signedAt ?? document.signDate).flatMap(parseDate)
        return SigningDocument(
            id: id, externalId: document.externalId, status: status, signedAt: status == .signed ? signedAt ?? Date() : nil, method: method,
            recipientId: signer?.id)
    }

    static func status(_ text: String?, isSigned: Bool) -> SigningDocument.Status {
        switch text?.lowercased() {
        case _ where isSigned: .signed
        case "signed": .signed
        case "rejected": .rejected
        case "expired": .expired
        case "recalled", "deleted": .recalled
        default: .pending
        }
    }

    /// GetAccept's times, ISO 8601: read as ``Timestamp``s first (no formatter made: one per document read was 4 % of
    /// signering's CPU under load, issue 19), then by a formatter for whatever form that does not read.
    static func parseDate(_ text: String) -> Date? {
        if let date = Timestamp.date(text) { return date }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// GetAccept's refusal as far as it is a stable code: its free text may echo the recipient's e-mail or phone,
    /// and what we say of a refusal goes into events, the audit trail and logs.
    static func describe(_ invalid: Components.Responses.Invalid) -> String {
        guard case .json(let error) = invalid.body, let code = error.error, (1...64).contains(code.count),
            code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") })
        else { return "invalid request" }
        return code
    }

    static func error(_ status: Int, _ operation: String) -> SigningError {
        SigningError(status >= 500 || status == 429 ? .unavailable : .rejected, "\(operation) answered HTTP \(status)")
    }
}
