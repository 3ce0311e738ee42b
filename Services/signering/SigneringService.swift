import AvtalDomain
import AvtalPersistence
public import AvtalRuntime
import Configuration
import Foundation

/// signering's own settings (docs/signing.md): `GETACCEPT_URL` (the sandbox's simulation locally), `GETACCEPT_EMAIL`
/// and `GETACCEPT_PASSWORD` (secrets), `GETACCEPT_WEBHOOK_SECRET` (and while it changes, the one before it in
/// `GETACCEPT_WEBHOOK_SECRET_PREVIOUS`), `SIGNERING_PUBLIC_URL` (where GetAccept reaches our
/// webhook), `GETACCEPT_TIMEOUT_MS` (10 000: how long one call may wait for GetAccept's answer),
/// `SIGNING_EXPIRY_SECONDS` (14 days) and the sweep's timings. Outside local mode every one without a
/// timing must be given.
struct SigneringSettings {
    let getAcceptURL: URL
    let credentials: GetAcceptSigning.Credentials
    let webhookSecrets: WebhookSecrets
    let publicURL: String
    let expiry: Duration
    let timeout: Duration

    init(_ context: ServiceContext) {
        let mode = context.mode
        let url = mode.string("getaccept.url", local: "http://127.0.0.1:8090/getaccept/v1")
        if URL(string: url)?.host == nil { mode.note("GETACCEPT_URL is not a URL") }
        getAcceptURL = URL(string: url) ?? URL(fileURLWithPath: "/")
        credentials = .init(
            email: mode.string("getaccept.email", local: "api@avtalsflode.local"),
            password: mode.string("getaccept.password", local: "local-sandbox-password", isSecret: true))
        webhookSecrets = WebhookSecrets(
            current: mode.string("getaccept.webhook.secret", local: "local-webhook-secret", isSecret: true),
            previous: context.reader.string(forKey: "getaccept.webhook.secret.previous", isSecret: true).flatMap { $0.isEmpty ? nil : $0 })
        publicURL = mode.string("signering.public.url", local: "http://127.0.0.1:\(context.configuration.httpPort)")
        expiry = .seconds(context.reader.int(forKey: "signing.expiry.seconds", default: 14 * 86_400))
        timeout = .milliseconds(max(100, context.reader.int(forKey: "getaccept.timeout.ms", default: 10_000)))
    }

    func handlers(_ context: ServiceContext) -> SigningHandlers {
        SigningHandlers(
            provider: GetAcceptSigning(baseURL: getAcceptURL, credentials: credentials, timeout: timeout, logger: context.logger),
            client: context.postgres,
            inbox: context.inbox, outbox: context.outbox, expiry: expiry, logger: context.logger)
    }
}

/// signering: signing requests through GetAccept, its webhooks, reminders, expiry and recalls.
public enum SigneringService {
    public static let definition = ServiceDefinition(
        name: "signering",
        defaultHTTPPort: 8083,
        schema: .signering,
        routingKeys: SigningHandlers.routingKeys,
        handlers: { context in SigneringSettings(context).handlers(context).make() },
        // Handlers wait on GetAccept; contracts are independent, and within a contract the rounds' states order things.
        defaultConsumerConcurrency: 16,
        background: { context in
            let settings = SigneringSettings(context)
            let reader = context.reader
            return [
                SigningSweep(
                    handlers: settings.handlers(context), webhookURL: settings.webhookSecrets.targetURL(publicURL: settings.publicURL),
                    interval: .seconds(reader.int(forKey: "signing.sweep.interval.seconds", default: 60)),
                    remindAfter: .seconds(reader.int(forKey: "signing.reminder.after.seconds", default: 3 * 86_400)),
                    checkAfter: .seconds(reader.int(forKey: "signing.check.after.seconds", default: 300)))
            ]
        },
        // GetAccept's webhooks are small JSON documents.
        defaultMaximumBodyBytes: 64 * 1024,
        routes: { router, context in
            WebhookRoutes.add(
                to: router, secrets: SigneringSettings(context).webhookSecrets, client: context.postgres, outbox: context.outbox,
                logger: context.logger)
        }
    )
}
