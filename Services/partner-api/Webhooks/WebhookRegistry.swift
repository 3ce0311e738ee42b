import AvtalDomain
public import Foundation
public import Logging
import NIOCore
public import PostgresNIO

/// The partners' webhooks in partner-api's schema: registering an address, rotating and reading the secrets, removing
/// one, and the operator's view of the deliveries (``WebhookDelivery``). Used by `PUT /v1/webhook` and by `avtalctl
/// partner webhook`, so both keep the same rules.
public struct WebhookRegistry: Sendable {
    let seal: SecretSeal
    let logger: Logger

    /// How long a rotated-out secret still signs, beside the new one: long enough for a partner to deploy the new one.
    public static let rotationGrace: Duration = .seconds(24 * 3600)

    public init(seal: SecretSeal, logger: Logger) {
        self.seal = seal
        self.logger = logger
    }

    public struct Registration: Sendable, Equatable {
        public var url: String
        public var createdAt: Date
        public var updatedAt: Date
        /// While a rotated-out secret still signs.
        public var previousSecretValidUntil: Date?
    }

    public enum SetOutcome: Sendable, Equatable {
        /// The partner's first webhook, with its new secret: shown now and never again.
        case created(WebhookSecret, Registration)
        /// The address changed; the secret stays.
        case updated(Registration)
    }

    /// Registers `endpoint` for `partner`, or moves its webhook there. Pending deliveries go to the new address.
    public func set(_ endpoint: WebhookEndpoint, for partner: String, now: Date, on connection: PostgresConnection) async throws -> SetOutcome {
        let secret = WebhookSecret.generate()
        let sealed = ByteBuffer(bytes: try seal.seal(secret))
        let rows = try await connection.query(
            """
            INSERT INTO partner_api.webhooks (partner_id, url, secret, created_at, updated_at)
            VALUES (\(partner), \(endpoint.url.absoluteString), \(sealed), \(now), \(now))
            ON CONFLICT (partner_id) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at
            RETURNING (xmax = 0), url, created_at, updated_at, previous_valid_until
            """, logger: logger)
        for try await (created, url, createdAt, updatedAt, previous) in rows.decode((Bool, String, Date, Date, Date?).self) {
            let registration = Registration(url: url, createdAt: createdAt, updatedAt: updatedAt, previousSecretValidUntil: previous)
            return created ? .created(secret, registration) : .updated(registration)
        }
        throw RegistryError.notWritten
    }

    enum RegistryError: Error {
        /// An upsert that returned no row: PostgreSQL always returns one, so this is never expected.
        case notWritten
    }

    /// A new secret for `partner`'s webhook; the one it replaces still signs, beside it, for ``rotationGrace``. nil
    /// when the partner has no webhook.
    public func rotate(for partner: String, now: Date, on connection: PostgresConnection) async throws -> (WebhookSecret, previousValidUntil: Date)? {
        let secret = WebhookSecret.generate()
        let sealed = ByteBuffer(bytes: try seal.seal(secret))
        let until = now.addingTimeInterval(Self.rotationGrace.timeInterval)
        let rows = try await connection.query(
            """
            UPDATE partner_api.webhooks SET previous_secret = secret, previous_valid_until = \(until), secret = \(sealed), updated_at = \(now)
            WHERE partner_id = \(partner) RETURNING partner_id
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return (secret, until) }
        return nil
    }

    /// Removes `partner`'s webhook; its deliveries not yet made are given up on. Whether it had one.
    public func remove(for partner: String, now: Date, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("DELETE FROM partner_api.webhooks WHERE partner_id = \(partner) RETURNING partner_id", logger: logger)
        var removed = false
        for try await _ in rows.decode(String.self) { removed = true }
        guard removed else { return false }
        try await connection.query(
            """
            UPDATE partner_api.webhook_deliveries SET next_attempt_at = NULL, failed_at = \(now), last_error = 'the webhook was removed'
            WHERE partner_id = \(partner) AND next_attempt_at IS NOT NULL
            """, logger: logger)
        return true
    }

    public func registration(of partner: String, on connection: PostgresConnection) async throws -> Registration? {
        let rows = try await connection.query(
            "SELECT url, created_at, updated_at, previous_valid_until FROM partner_api.webhooks WHERE partner_id = \(partner)", logger: logger)
        for try await (url, created, updated, previous) in rows.decode((String, Date, Date, Date?).self) {
            return Registration(url: url, createdAt: created, updatedAt: updated, previousSecretValidUntil: previous)
        }
        return nil
    }

    /// Where `partner`'s deliveries go and the secrets that sign them at `now`: the current one, and the previous one
    /// while its grace lasts.
    func target(of partner: String, now: Date, on connection: PostgresConnection) async throws -> (url: String, secrets: [WebhookSecret])? {
        let rows = try await connection.query(
            "SELECT url, secret, previous_secret, previous_valid_until FROM partner_api.webhooks WHERE partner_id = \(partner)", logger: logger)
        for try await (url, secret, previous, until) in rows.decode((String, ByteBuffer, ByteBuffer?, Date?).self) {
            var secrets = [try seal.open(Array(buffer: secret))]
            if let previous, let until, until > now { secrets.append(try seal.open(Array(buffer: previous))) }
            return (url, secrets)
        }
        return nil
    }

    // MARK: The operator's view

    /// `partner`'s deliveries, newest first; only those given up on when `failedOnly`.
    public func deliveries(of partner: String, failedOnly: Bool, limit: Int, on connection: PostgresConnection) async throws -> [WebhookDelivery] {
        let rows = try await connection.query(
            """
            SELECT id, contract_id, sequence, created_at, attempts, next_attempt_at, delivered_at, failed_at, last_status, last_error
            FROM partner_api.webhook_deliveries WHERE partner_id = \(partner) AND (NOT \(failedOnly) OR failed_at IS NOT NULL)
            ORDER BY created_at DESC, sequence DESC LIMIT \(limit)
            """, logger: logger)
        var found: [WebhookDelivery] = []
        for try await row in rows.decode((UUID, UUID, Int, Date, Int, Date?, Date?, Date?, Int?, String?).self) {
            found.append(WebhookDelivery(row))
        }
        return found
    }

    /// Sends deliveries of `partner` that were given up on again, each with a new window of retries: the one named,
    /// or all. How many.
    public func resend(
        of partner: String, delivery: UUID?, schedule: DeliverySchedule, now: Date, on connection: PostgresConnection
    ) async throws -> Int {
        let until = schedule.deadline(from: now)
        let rows = try await connection.query(
            """
            UPDATE partner_api.webhook_deliveries SET failed_at = NULL, next_attempt_at = \(now), retry_until = \(until), attempts = 0
            WHERE partner_id = \(partner) AND failed_at IS NOT NULL AND (\(delivery)::uuid IS NULL OR id = \(delivery))
              AND EXISTS (SELECT 1 FROM partner_api.webhooks WHERE partner_id = \(partner))
            RETURNING id
            """, logger: logger)
        var count = 0
        for try await _ in rows.decode(UUID.self) { count += 1 }
        return count
    }
}

/// One status webhook for one partner, as the operator sees it (never its body's secret signature).
public struct WebhookDelivery: Sendable, Equatable {
    public var id: UUID
    public var contractId: UUID
    public var sequence: Int
    public var createdAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?
    public var failedAt: Date?
    public var lastStatus: Int?
    public var lastError: String?

    init(_ row: (UUID, UUID, Int, Date, Int, Date?, Date?, Date?, Int?, String?)) {
        (id, contractId, sequence, createdAt, attempts, nextAttemptAt, deliveredAt, failedAt, lastStatus, lastError) = row
    }

    public var state: String { deliveredAt != nil ? "delivered" : failedAt != nil ? "failed" : "pending" }

    /// The `webhook-id` header of delivery `id`.
    static func messageId(_ id: UUID) -> String { "msg_" + id.uuidString.lowercased() }
}
