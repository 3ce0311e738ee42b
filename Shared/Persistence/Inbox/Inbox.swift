public import AvtalDomain
public import AvtalMessaging
public import Logging
public import PostgresNIO

/// A service's inbox: the ids of the messages it has applied, recorded in the same transaction as their effect.
///
/// A redelivered or re-published message finds its id already there and changes nothing, so every consumer is
/// idempotent however often the broker delivers. The consumer acknowledges only after the transaction committed.
/// Each of its transactions is an ``OutboxWrites`` scope: the events it wrote wake the relay as it commits.
public struct Inbox: Sendable {
    public let schema: SchemaName
    private let slot: any SchemaSlot.Type
    private let client: PostgresClient
    private let logger: Logger

    public init(schema: SchemaName, client: PostgresClient, logger: Logger) {
        self.schema = schema
        self.slot = SchemaSlots.slot(for: schema)
        self.client = client
        self.logger = logger
    }

    /// Runs `effect` in a transaction that also records `header.messageId`; returns false, without running it, when
    /// that message was applied before.
    @discardableResult
    public func apply(
        _ header: EnvelopeHeader,
        _ effect: (PostgresConnection) async throws -> Void
    ) async throws -> Bool {
        try await OutboxWrites.announcing {
            try await client.withTransaction(logger: logger) { connection in
                guard try await Self.record(header, in: slot, on: connection, logger: logger) else {
                    logger.debug("duplicate message skipped", metadata: ["avtal.message.id": "\(header.messageId)"])
                    return false
                }
                try await effect(connection)
                return true
            }
        }
    }

    /// Inserts the message's id (a prepared statement); false when it was there already.
    private static func record<Slot: SchemaSlot>(
        _ header: EnvelopeHeader, in _: Slot.Type, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let inserted = try await connection.execute(InboxInsert<Slot>(messageId: header.messageId, messageType: header.type), logger: logger)
        var isNew = false
        for try await _ in inserted { isNew = true }
        return isNew
    }

    /// Whether the message was applied before: a cheap look before work that is costly to repeat (calls to other
    /// systems). ``apply(_:_:)`` still decides, in its transaction.
    public func hasApplied(_ header: EnvelopeHeader) async throws -> Bool {
        try await Self.lookUp(header, in: slot, client: client, logger: logger)
    }

    private static func lookUp<Slot: SchemaSlot>(
        _ header: EnvelopeHeader, in _: Slot.Type, client: PostgresClient, logger: Logger
    ) async throws -> Bool {
        let rows = try await client.execute(InboxLookup<Slot>(messageId: header.messageId), logger: logger)
        var found = false
        for try await _ in rows { found = true }
        return found
    }

    /// A transaction on the inbox's database, for an effect that enters its message in the inbox itself, in a
    /// statement that also reads or writes (``InboxRow/withPart(schema:messageId:messageType:)``), and does nothing
    /// more when that statement finds the message there before.
    public func withTransaction<Result: Sendable>(_ effect: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await OutboxWrites.announcing {
            try await client.withTransaction(logger: logger) { connection in try await effect(connection) }
        }
    }

    /// A connection of the inbox's database with no transaction: for statements that each enter their message in the
    /// inbox with their effect, atomic alone. An ``OutboxWrites`` scope, like ``withTransaction(_:)``.
    public func withConnection<Result: Sendable>(_ effect: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await OutboxWrites.announcing {
            try await client.withConnection { connection in try await effect(connection) }
        }
    }

    /// Runs a statement that enters a message in the inbox with its effect; true when it answered a row (the message was new).
    func run<Statement: PostgresPreparedStatement>(_ statement: Statement, for header: EnvelopeHeader) async throws -> Bool {
        var isNew = false
        for try await _ in try await client.execute(statement, logger: logger) { isNew = true }
        if !isNew { logger.debug("duplicate message skipped", metadata: ["avtal.message.id": "\(header.messageId)"]) }
        return isNew
    }

    /// A handler for ``EventHandlers`` that decodes the payload as `Payload` and applies `effect` through the inbox.
    public func handler<Payload: DomainEvent>(
        for type: Payload.Type,
        _ effect: @escaping @Sendable (EventEnvelope<Payload>, PostgresConnection) async throws -> Void
    ) -> EventHandlers.Handler {
        { event in
            let envelope = try event.envelope(as: type)
            try await apply(event.header) { connection in try await effect(envelope, connection) }
        }
    }
}

extension EventHandlers {
    /// Handles `Payload` events exactly once per message id, through `inbox`.
    public mutating func on<Payload: DomainEvent>(
        _ type: Payload.Type,
        inbox: Inbox,
        _ effect: @escaping @Sendable (EventEnvelope<Payload>, PostgresConnection) async throws -> Void
    ) {
        on(type.eventType, inbox.handler(for: type, effect))
    }
}
