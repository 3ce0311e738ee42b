import AvtalDomain
import AvtalPersistence
public import AvtalRuntime
import Configuration
import Foundation

/// The handlers from the environment: GETACCEPT_URL (the sandbox's simulation by default), GETACCEPT_EMAIL and
/// GETACCEPT_PASSWORD (secrets), SIGNING_EXPIRY_SECONDS (14 days). See docs/signing.md.
@Sendable private func signingHandlers(_ context: ServiceContext) -> SigningHandlers {
    let reader = context.reader
    let provider = GetAcceptSigning(
        baseURL: URL(string: reader.string(forKey: "getaccept.url", default: "http://127.0.0.1:8090/getaccept/v1"))!,
        credentials: .init(
            email: reader.string(forKey: "getaccept.email", default: "api@avtalsflode.local"),
            password: reader.string(forKey: "getaccept.password", isSecret: true, default: "local-sandbox-password")),
        logger: context.logger)
    return SigningHandlers(
        provider: provider, client: context.postgres, inbox: context.inbox, outbox: context.outbox,
        expiry: .seconds(reader.int(forKey: "signing.expiry.seconds", default: 14 * 86_400)), logger: context.logger)
}

/// signering: signing requests through GetAccept, its webhooks, reminders, expiry and recalls.
public enum SigneringService {
    public static let definition = ServiceDefinition(
        name: "signering",
        defaultHTTPPort: 8083,
        schema: .signering,
        routingKeys: SigningHandlers.routingKeys,
        handlers: { context in signingHandlers(context).make() },
        // Handlers wait on GetAccept; contracts are independent, and within a contract the rounds' states order things.
        defaultConsumerConcurrency: 16,
        background: { context in
            let reader = context.reader
            let publicURL = reader.string(
                forKey: "signering.public.url", default: "http://127.0.0.1:\(context.configuration.httpPort)")
            let secret = reader.string(forKey: "getaccept.webhook.secret", isSecret: true, default: "local-webhook-secret")
            return [
                SigningSweep(
                    handlers: signingHandlers(context), webhookURL: "\(publicURL)/\(WebhookRoutes.path)/\(secret)",
                    interval: .seconds(reader.int(forKey: "signing.sweep.interval.seconds", default: 60)),
                    remindAfter: .seconds(reader.int(forKey: "signing.reminder.after.seconds", default: 3 * 86_400)),
                    checkAfter: .seconds(reader.int(forKey: "signing.check.after.seconds", default: 300)))
            ]
        },
        // GetAccept's webhooks are small JSON documents.
        defaultMaximumBodyBytes: 64 * 1024,
        routes: { router, context in
            WebhookRoutes.add(
                to: router, secret: context.reader.string(forKey: "getaccept.webhook.secret", isSecret: true, default: "local-webhook-secret"),
                client: context.postgres, outbox: context.outbox, logger: context.logger)
        }
    )
}
