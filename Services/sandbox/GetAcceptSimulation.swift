import AsyncHTTPClient
import AvtalGetAccept
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import OpenAPIRuntime

/// GetAccept simulated through the server generated from GetAccept's own document, so requests and answers have
/// the real API's shapes. Behaviour by the test data (docs/sandbox.md): a signer named "Nekar" rejects, one named
/// "Väntar" never acts; everyone else signs `signAfter` after the document was sent. Every change is announced to
/// the subscribed webhooks; `/getaccept-control/…` drives documents by hand, with duplicate and out-of-order calls.
struct GetAcceptSimulation: APIProtocol {
    let state: GetAcceptState
    let calls: SandboxState
    let signAfter: Duration
    /// How long a create takes to answer after the document exists (the window in which a crashed caller leaves a
    /// document at GetAccept and no record of its own).
    let createLatency: Duration
    let logger: Logger

    /// International format, as GetAccept asks: `+` and 8–15 digits.
    static func isMobile(_ text: String) -> Bool {
        text.first == "+" && (9...16).contains(text.count) && text.dropFirst().allSatisfy(\.isNumber) && text.dropFirst().first != "0"
    }

    func authenticate(_ input: Operations.Authenticate.Input) async throws -> Operations.Authenticate.Output {
        guard case .json(let body) = input.body, !body.email.isEmpty, !body.password.isEmpty else {
            return .badRequest(.init(body: .json(.init(description: "email and password are required", error: "invalid_request", status: 400))))
        }
        await calls.record("getaccept", "auth", key: "token")
        return .ok(.init(body: .json(.init(accessToken: await state.issueToken(), expiresIn: 3600))))
    }

    func createDocument(_ input: Operations.CreateDocument.Input) async throws -> Operations.CreateDocument.Output {
        guard case .json(let body) = input.body else { return .badRequest(Self.invalid("a JSON body is required")) }
        let recipients = body.recipients ?? []
        guard !body.name.isEmpty, !recipients.isEmpty else { return .badRequest(Self.invalid("name and at least one recipient are required")) }
        for recipient in recipients {
            if recipient.lastName == "Ogiltig" { return .badRequest(Self.invalid("invalid e-mail address: the recipient's mail server refuses it")) }
            let emailValid = recipient.email.map { $0.contains("@") && $0.split(separator: "@").last?.contains(".") == true } ?? false
            let mobileValid = recipient.mobile.map(Self.isMobile) ?? false
            guard emailValid || mobileValid else {
                return .badRequest(Self.invalid("All recipients must have either a valid e-mail or a mobile number."))
            }
            if recipient.email != nil && !emailValid { return .badRequest(Self.invalid("invalid e-mail address")) }
            if recipient.mobile != nil && !mobileValid { return .badRequest(Self.invalid("invalid mobile number")) }
            if body.isSmsSending == true && !mobileValid { return .badRequest(Self.invalid("SMS sending needs a mobile number")) }
        }
        let document = GetAcceptState.Document(
            id: "ga-" + UUID().uuidString.lowercased().prefix(13), externalId: body.externalId, name: body.name,
            status: body.isAutomaticSending == true ? "sent" : "draft",
            recipients: recipients.map {
                .init(
                    id: "rc-" + UUID().uuidString.lowercased().prefix(8), firstName: $0.firstName, lastName: $0.lastName, email: $0.email,
                    mobile: $0.mobile, role: $0.role?.rawValue ?? "signer", verifyEid: $0.verifyEid == true)
            },
            smsSending: body.isSmsSending == true, createdAt: Date(), signedAt: nil, expirationDate: body.expirationDate)
        await state.create(document)
        await calls.record("getaccept", "document-created", key: body.externalId ?? document.id)
        if document.status == "sent" { behave(document) }
        if createLatency > .zero { try await Task.sleep(for: createLatency) }
        return .ok(.init(body: .json(document.schema)))
    }

    func getDocumentDetails(_ input: Operations.GetDocumentDetails.Input) async throws -> Operations.GetDocumentDetails.Output {
        await calls.record("getaccept", "document-read", key: input.path.documentId)
        guard let document = await state.document(id: input.path.documentId) else { return .notFound(Self.notFound) }
        return .ok(.init(body: .json(document.schema)))
    }

    func getDocumentByExternalId(_ input: Operations.GetDocumentByExternalId.Input) async throws -> Operations.GetDocumentByExternalId.Output {
        await calls.record("getaccept", "document-lookup", key: input.path.externalId)
        guard let document = await state.document(externalId: input.path.externalId) else { return .notFound(Self.notFound) }
        return .ok(.init(body: .json(document.schema)))
    }

    /// Every document with the `external_id` asked for (GetAccept's list filter), oldest first; without one, all.
    func listDocuments(_ input: Operations.ListDocuments.Input) async throws -> Operations.ListDocuments.Output {
        let externalId = input.query.externalId
        await calls.record("getaccept", "document-list", key: externalId ?? "")
        let documents = await state.documents(externalId: externalId).sorted { $0.createdAt < $1.createdAt }
        let formatter = ISO8601DateFormatter()
        return .ok(
            .init(
                body: .json(
                    documents.map {
                        .init(createdAt: formatter.string(from: $0.createdAt), id: $0.id, isSigning: true, name: $0.name, status: $0.status)
                    })))
    }

    func sendDocument(_ input: Operations.SendDocument.Input) async throws -> Operations.SendDocument.Output {
        guard let document = await state.move(input.path.documentId, to: "sent") else { return .notFound(Self.notFound) }
        behave(document)
        return .ok(.init(body: .json(document.schema)))
    }

    func createSubscription(_ input: Operations.CreateSubscription.Input) async throws -> Operations.CreateSubscription.Output {
        guard case .json(let body) = input.body, URL(string: body.targetUrl)?.scheme?.hasPrefix("http") == true else {
            return .badRequest(Self.invalid("target_url must be an http(s) URL"))
        }
        let subscription = await state.subscribe(event: body.event.rawValue, targetURL: body.targetUrl)
        await calls.record("getaccept", "subscribed", key: body.event.rawValue)
        return .ok(
            .init(body: .json(.init(event: subscription.event, id: subscription.id, subscriptionId: subscription.id, targetUrl: body.targetUrl))))
    }

    func sendReminder(_ input: Operations.SendReminder.Input) async throws -> Operations.SendReminder.Output {
        guard await state.document(id: input.path.documentId) != nil else { return .notFound(Self.notFound) }
        await calls.record("getaccept", "reminder", key: input.path.documentId)
        return .ok(.init())
    }

    func recallSigner(_ input: Operations.RecallSigner.Input) async throws -> Operations.RecallSigner.Output {
        guard await state.move(input.path.documentId, to: "recalled") != nil else { return .notFound(Self.notFound) }
        await calls.record("getaccept", "recalled", key: input.path.documentId)
        return .noContent(.init())
    }

    func deleteDocument(_ input: Operations.DeleteDocument.Input) async throws -> Operations.DeleteDocument.Output {
        guard await state.document(id: input.path.documentId) != nil else { return .notFound(Self.notFound) }
        _ = await state.move(input.path.documentId, to: "recalled")
        await calls.record("getaccept", "recalled", key: input.path.documentId)
        return .noContent(.init())
    }

    // MARK: Behaviour and webhooks

    /// What the signer does, by the test data.
    private func behave(_ document: GetAcceptState.Document) {
        let signer = document.recipients.first { $0.role == "signer" }
        let action: String? =
            switch signer?.lastName {
            case "Nekar": "rejected"
            case "Väntar": nil
            default: "signed"
            }
        guard let action, signAfter > .zero else { return }
        let state = state
        Task {
            try? await Task.sleep(for: signAfter)
            if let moved = await state.move(document.id, to: action) {
                await announce(moved, event: "document.\(action)", deliveries: 1)
            }
        }
    }

    /// Posts the webhook to every subscription for `event`, `deliveries` times (0: the webhook is lost).
    func announce(_ document: GetAcceptState.Document, event: String, deliveries: Int) async {
        for subscription in await state.subscriptions(for: event) {
            let parts = event.split(separator: ".")
            let webhook = Components.Schemas.Webhook(
                document: document.schema, event: event, eventAction: parts.last.map(String.init), eventType: parts.first.map(String.init),
                recipient: document.schema.recipients?.first, subscriptionId: subscription.id)
            guard let body = try? JSONEncoder().encode(webhook) else { continue }
            await state.recordWire("Webhook", String(decoding: body, as: UTF8.self))
            for _ in 0..<max(0, deliveries) {
                var request = HTTPClientRequest(url: subscription.targetURL)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
                let status = (try? await HTTPClient.shared.execute(request, timeout: .seconds(5)))?.status.code
                await calls.record("getaccept", "webhook-\(event)-\(status.map(String.init) ?? "failed")", key: document.id)
            }
        }
    }

    static func invalid(_ description: String) -> Components.Responses.Invalid {
        .init(body: .json(.init(description: description, error: "invalid_request", status: 400)))
    }

    static let notFound = Components.Responses.NotFound(body: .json(.init(description: "document not found", error: "not_found", status: 404)))
}

/// Refuses every call but `POST /auth` without a token the simulation issued.
struct GetAcceptBearerCheck: ServerMiddleware {
    let state: GetAcceptState

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        // Keep every JSON request body as it arrived, for tests to validate against GetAccept's document.
        var body = body
        if let received = body {
            let bytes = try await [UInt8](collecting: received, upTo: 1 << 20)
            if !bytes.isEmpty { await state.recordWire(operationID, String(decoding: bytes, as: UTF8.self)) }
            body = HTTPBody(bytes)
        }
        guard operationID != "Authenticate" else { return try await next(request, body, metadata) }
        let header = request.headerFields[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), await state.isValid(token: String(header.dropFirst(7))) else {
            return (HTTPResponse(status: .unauthorized), HTTPBody(#"{"error":"unauthorized","description":"invalid or missing token","status":401}"#))
        }
        return try await next(request, body, metadata)
    }
}
