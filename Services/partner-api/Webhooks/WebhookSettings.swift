public import AvtalPersistence
public import AvtalRuntime
public import Configuration

/// What the webhooks read from configuration: the seal's key (`WEBHOOK_SECRET_KEY`, 32 bytes in base64; a demo key
/// only in local mode), the retry schedule (`WEBHOOK_RETRY_FIRST_MS`, `WEBHOOK_RETRY_LONGEST_MS`,
/// `WEBHOOK_GIVE_UP_AFTER_SECONDS`: 5 s doubling to an hour, for 24 hours) and the endpoint's time to answer
/// (`WEBHOOK_TIMEOUT_MS`, 10 s). In local mode a partner may register an http:// or loopback address (the sandbox's
/// receiver); nowhere else.
public struct WebhookSettings: Sendable {
    public let seal: SecretSeal
    public let delivery: WebhookDeliverer.Configuration
    public let allowsInternalAddresses: Bool

    public init(reader: ConfigReader, mode: LocalMode) {
        let key = mode.string("webhook.secret.key", local: SecretSeal.localKey, isSecret: true)
        if let seal = SecretSeal(base64Key: key) {
            self.seal = seal
        } else {
            mode.note("WEBHOOK_SECRET_KEY must be 32 bytes in base64")
            seal = SecretSeal(base64Key: SecretSeal.localKey)!
        }
        let schedule = DeliverySchedule(
            firstDelay: .milliseconds(max(1, reader.int(forKey: "webhook.retry.first.ms", default: 5000))),
            longestDelay: .milliseconds(max(1, reader.int(forKey: "webhook.retry.longest.ms", default: 3_600_000))),
            giveUpAfter: .seconds(max(1, reader.int(forKey: "webhook.give.up.after.seconds", default: 86_400))))
        var delivery = WebhookDeliverer.Configuration(schedule: schedule)
        delivery.timeout = .milliseconds(max(100, reader.int(forKey: "webhook.timeout.ms", default: 10_000)))
        self.delivery = delivery
        allowsInternalAddresses = mode.isLocal
    }

    /// Rung when a delivery is queued in this process, so the deliverer sends it at once: one per process.
    public static let doorbell = Doorbell()
}
