/// A message to publish: always persistent and mandatory, so it survives a broker restart once confirmed and an
/// unroutable message is an error rather than a silent success.
public struct OutboundMessage: Sendable, Equatable {
    /// The exchange; the empty string is the default exchange, which routes to the queue named by the routing key.
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    /// The AMQP `message-id` property: the envelope's message id, used to correlate returns.
    public var messageId: String
    /// The AMQP `type` property: the envelope's event type name.
    public var type: String?
    public var contentType: String
    public var headers: FieldTable

    public init(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        messageId: String,
        type: String? = nil,
        contentType: String = "application/json",
        headers: FieldTable = [:]
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.type = type
        self.contentType = contentType
        self.headers = headers
    }
}
