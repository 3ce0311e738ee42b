import AvtalContractStore
import AvtalDomain
import AvtalMessaging
import AvtalPersistence
public import AvtalRuntime
import Foundation
import Hummingbird
import PostgresNIO

/// partner-api: contract intake over HTTP for partner sites and our own web/app (flow 1), through the contract
/// store's insert path; and the partners' signed status webhooks — its consumer turns webbavtal's
/// ``PartnerStatusChanged`` into deliveries, which its ``WebhookDeliverer`` sends.
public enum PartnerAPIService {
    public static let definition = ServiceDefinition(
        name: "partner-api",
        defaultHTTPPort: 8080,
        schema: .partnerAPI,
        alsoMigrates: [.contractStore],
        routingKeys: [RoutingKey.partnerStatusChanged],
        handlers: { context in
            let notices = StatusNotices(
                schedule: WebhookSettings(reader: context.reader, mode: context.mode).delivery.schedule, logger: context.logger)
            var handlers = EventHandlers()
            handlers.on(PartnerStatusChanged.eventType) { event in
                let change = try event.envelope(as: PartnerStatusChanged.self).payload
                let isNew = try await context.postgres.withConnection { connection in
                    try await notices.changed(change, now: Date(), on: connection)
                }
                if isNew { WebhookSettings.doorbell.ring() }
            }
            return handlers
        },
        defaultConsumerConcurrency: 4,
        background: { context in
            let settings = WebhookSettings(reader: context.reader, mode: context.mode)
            return [
                WebhookDeliverer(
                    client: context.postgres, registry: WebhookRegistry(seal: settings.seal, logger: context.logger),
                    configuration: settings.delivery, doorbell: WebhookSettings.doorbell, logger: context.logger)
            ]
        },
        // The edge cuts a body off where the API's own check would: at 512 KiB, however the path is spelled.
        defaultMaximumBodyBytes: PartnerAPIMiddleware<AvtalRequestContext>.maximumBodyBytes,
        routes: { router, context in
            try PartnerAPIRoutes.add(
                to: router, client: context.postgres, outbox: context.outbox, webhooks: WebhookSettings(reader: context.reader, mode: context.mode),
                logger: context.logger)
        }
    )
}
