public import AvtalDomain

/// A partner site, or one of our own channels, that submits contracts through the API.
public struct Partner: Sendable, Equatable {
    public var id: String
    public var name: String
    /// `partner` for partner sites, `ownWeb` for our own web, app and "Mina sidor".
    public var channel: SalesChannel
    public var requestsPerMinute: Int
    public var enabled: Bool
    /// Whether it has a status webhook (``WebhookRegistry``): only then is a new contract's `received` queued for it.
    public var hasWebhook: Bool

    public init(id: String, name: String, channel: SalesChannel, requestsPerMinute: Int, enabled: Bool = true, hasWebhook: Bool = false) {
        self.id = id
        self.name = name
        self.channel = channel
        self.requestsPerMinute = requestsPerMinute
        self.enabled = enabled
        self.hasWebhook = hasWebhook
    }
}
