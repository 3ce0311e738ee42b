/// A message as the broker delivered it, copied out of rabbitmq-c's buffers.
public struct InboundMessage: Sendable, Equatable {
    /// The broker's delivery tag on the channel that delivered it.
    public var deliveryTag: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageId: String?
    public var type: String?
    public var contentType: String?
    public var headers: FieldTable

    public init(
        deliveryTag: UInt64,
        redelivered: Bool,
        exchange: String,
        routingKey: String,
        body: [UInt8],
        messageId: String?,
        type: String?,
        contentType: String?,
        headers: FieldTable
    ) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.type = type
        self.contentType = contentType
        self.headers = headers
    }

    /// The same message, ready to publish again to another place (a delay queue, the parking queue, the work queue).
    public func republished(exchange: String, routingKey: String, headers: FieldTable) -> OutboundMessage {
        OutboundMessage(
            exchange: exchange,
            routingKey: routingKey,
            body: body,
            messageId: messageId ?? "",
            type: type,
            contentType: contentType ?? "application/octet-stream",
            headers: headers
        )
    }
}
