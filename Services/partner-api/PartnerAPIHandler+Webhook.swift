import AvtalDomain
import Foundation
import HTTPTypes
import OpenAPIRuntime
import PostgresNIO

/// `/v1/webhook`: the partner registers, reads, moves and removes its status webhook, and rotates its secret — the
/// same rules as `avtalctl partner webhook` (``WebhookRegistry``).
extension PartnerAPIHandler {
    func getWebhook(_ input: Operations.GetWebhook.Input) async throws -> Operations.GetWebhook.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        guard let registration = try await client.withConnection({ try await webhooks.registration(of: partner.id, on: $0) }) else {
            return .notFound(.init(body: .applicationProblemJson(Self.noWebhook)))
        }
        return .ok(.init(body: .json(Self.webhook(registration))))
    }

    func setWebhook(_ input: Operations.SetWebhook.Input) async throws -> Operations.SetWebhook.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        guard case .json(let body) = input.body else { throw PartnerAPIError.unreadableBody }
        let endpoint: WebhookEndpoint
        switch await validatedEndpoint(body.url) {
        case .failure(let problem):
            let failure = ValidationFailure(issues: [ValidationIssue(field: "url", code: problem.code, message: problem.description)])
            return .unprocessableContent(.init(body: .applicationProblemJson(Self.validationProblem(failure))))
        case .success(let valid): endpoint = valid
        }
        let now = Date()
        let outcome = try await client.withTransaction(logger: logger) { try await webhooks.set(endpoint, for: partner.id, now: now, on: $0) }
        directory.forget(partner.id)
        logger.info("webhook registered", metadata: ["avtal.partner": "\(partner.id)", "avtal.webhook.host": "\(endpoint.host)"])
        switch outcome {
        case .created(let secret, let registration):
            return .created(.init(body: .json(.init(value1: Self.webhook(registration), value2: .init(secret: secret.encoded)))))
        case .updated(let registration):
            return .ok(.init(body: .json(Self.webhook(registration))))
        }
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        let removed = try await client.withTransaction(logger: logger) { try await webhooks.remove(for: partner.id, now: Date(), on: $0) }
        directory.forget(partner.id)
        return removed ? .noContent(.init()) : .notFound(.init(body: .applicationProblemJson(Self.noWebhook)))
    }

    func rotateWebhookSecret(_ input: Operations.RotateWebhookSecret.Input) async throws -> Operations.RotateWebhookSecret.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        guard
            let (secret, until) = try await client.withTransaction(
                logger: logger, { try await webhooks.rotate(for: partner.id, now: Date(), on: $0) })
        else { return .notFound(.init(body: .applicationProblemJson(Self.noWebhook))) }
        logger.info("webhook secret rotated", metadata: ["avtal.partner": "\(partner.id)"])
        return .ok(.init(body: .json(.init(secret: secret.encoded, previousSecretValidUntil: until))))
    }

    /// `text` as a webhook address; outside local mode also every address its host resolves to must be public.
    private func validatedEndpoint(_ text: String) async -> Result<WebhookEndpoint, WebhookEndpoint.Problem> {
        let validated = WebhookEndpoint.validated(text, allowInternal: allowsInternalAddresses)
        guard case .success(let endpoint) = validated, !allowsInternalAddresses else { return validated }
        let addresses = await HostAddresses.resolve(endpoint.host)
        guard !addresses.isEmpty else { return .failure(.unresolvable(endpoint.host)) }
        if addresses.contains(where: WebhookEndpoint.internalAddress) { return .failure(.internalHost(endpoint.host)) }
        return validated
    }

    static let noWebhook = Components.Schemas.Problem(type: ProblemType.notFound, status: .notFound, detail: "no webhook is registered")

    static func webhook(_ registration: WebhookRegistry.Registration) -> Components.Schemas.Webhook {
        .init(
            url: registration.url, createdAt: registration.createdAt, updatedAt: registration.updatedAt,
            previousSecretValidUntil: registration.previousSecretValidUntil)
    }
}
