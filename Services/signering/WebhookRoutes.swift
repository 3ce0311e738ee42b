import AvtalDomain
import AvtalGetAccept
public import AvtalPersistence
public import AvtalRuntime
import AvtalSecrets
import Foundation
public import Hummingbird
public import Logging
import Metrics
import NIOCore
public import PostgresNIO

/// `POST /webhooks/getaccept/{secret}`: GetAccept's calls. GetAccept does not sign them, so the secret in the
/// subscription's URL must be one of the valid ones (``WebhookSecrets``; else `401`, nothing stored), and the handler later re-reads the document before
/// acting. The body is stored as received and `SigningWebhookReceived` goes into the outbox in the same transaction;
/// the answer is `202` at once.
public enum WebhookRoutes {
    public static let path = "webhooks/getaccept"
    static let maximumBodyBytes = 256 * 1024

    static func add(to router: Router<AvtalRequestContext>, secrets: WebhookSecrets, client: PostgresClient, outbox: Outbox, logger: Logger) {
        let ledger = SigningLedger(logger: logger)
        router.post("\(path)/:secret") { request, context -> Response in
            let given = context.parameters.get("secret") ?? ""
            guard secrets.accepts(given) else {
                return problem(.unauthorized, "unauthorized", "the webhook URL's secret does not match")
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maximumBodyBytes)
            } catch {
                return problem(.contentTooLarge, "payload-too-large", "a webhook body is at most 256 KiB")
            }
            let data = Data(body.readableBytesView)
            guard let webhook = try? JSONDecoder().decode(Components.Schemas.Webhook.self, from: data) else {
                return problem(.badRequest, "malformed-request", "the body is not a GetAccept webhook (JSON)")
            }
            guard let documentId = webhook.document?.id, !documentId.isEmpty else {
                return problem(.unprocessableContent, "validation", "document.id is required")
            }
            let event = webhook.event ?? webhook.eventType ?? "unknown"
            let id = try await client.withTransaction(logger: logger) { connection in
                let id = try await ledger.recordWebhook(event: event, documentId: documentId, body: String(buffer: body), on: connection)
                let received = SigningWebhookReceived(webhookId: id, documentId: documentId, event: event)
                try await outbox.enqueue(EventEnvelope(payload: received, contractId: nil), on: connection, logger: logger)
                return id
            }
            logger.info("webhook received", metadata: ["avtal.webhook.id": "\(id)", "avtal.webhook.event": "\(event)"])
            // GetAccept's webhooks falling silent while documents are out is an alert (AvtalSigningWebhooksSilent).
            Counter(label: "avtal_signing_webhooks_received_total").increment()
            return Response(
                status: .accepted, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"received":\#(id)}"#)))
        }
    }

    static func problem(_ status: HTTPResponse.Status, _ type: String, _ detail: String) -> Response {
        let body =
            #"{"type":"https://avtalsflode.se/problems/\#(type)","title":"\#(status.reasonPhrase)","status":\#(status.code),"detail":"\#(detail)"}"#
        return Response(status: status, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
