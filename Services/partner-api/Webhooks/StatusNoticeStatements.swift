import Foundation
import PostgresNIO

// A partner's status webhooks (``StatusNotices``), prepared once per connection: every status change of a partner's
// contract runs both (issue 19: they were parsed and planned anew for each).

/// Numbers a change of a contract's status, unless a change of this version or a later one was told, and queues its
/// delivery to the partner's webhook, if it has one, in one statement: the delivery's id back when one was queued. The
/// numbering goes on without a webhook (a statement in `WITH` runs whether or not the query reads it), so a webhook
/// registered later continues it. The body is the event's with the number the database gave spliced in.
struct StatusChangeQueue: PostgresPreparedStatement {
    typealias Row = UUID
    static let name = "avtal.partner.status-change.queue"
    static let sql = """
        WITH numbered AS (
            INSERT INTO partner_api.status_notices AS told (contract_id, sequence, contract_version)
            VALUES ($2, 2, $8)
            ON CONFLICT (contract_id) DO UPDATE SET sequence = told.sequence + 1, contract_version = excluded.contract_version
            WHERE told.contract_version < excluded.contract_version
            RETURNING sequence
        )
        INSERT INTO partner_api.webhook_deliveries (id, partner_id, contract_id, sequence, body, created_at, retry_until, next_attempt_at)
        SELECT $1::uuid, hook.partner_id, $2::uuid, numbered.sequence, $3::text || numbered.sequence || $4::text, $5::timestamptz,
            $6::timestamptz, $5::timestamptz
        FROM numbered, partner_api.webhooks hook WHERE hook.partner_id = $7
        ON CONFLICT (contract_id, sequence) DO NOTHING
        RETURNING id
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .text, .text, .timestamptz, .timestamptz, .text, .int8]

    var id: UUID
    var contractId: UUID
    var bodyBefore: String
    var bodyAfter: String
    var now: Date
    var retryUntil: Date
    var partner: String
    var contractVersion: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(id)
        bindings.append(contractId)
        bindings.append(bodyBefore)
        bindings.append(bodyAfter)
        bindings.append(now)
        bindings.append(retryUntil)
        bindings.append(partner)
        bindings.append(contractVersion)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(UUID.self) }
}

/// Queues the delivery of a status event to the partner's webhook, if it has one: the delivery's id back.
struct WebhookDeliveryQueue: PostgresPreparedStatement {
    typealias Row = UUID
    static let name = "avtal.partner.webhook-delivery.queue"
    static let sql = """
        INSERT INTO partner_api.webhook_deliveries (id, partner_id, contract_id, sequence, body, created_at, retry_until, next_attempt_at)
        SELECT $1::uuid, partner_id, $2::uuid, $3::integer, $4::text, $5::timestamptz, $6::timestamptz, $5::timestamptz
        FROM partner_api.webhooks WHERE partner_id = $7
        ON CONFLICT (contract_id, sequence) DO NOTHING
        RETURNING id
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .int8, .text, .timestamptz, .timestamptz, .text]

    var id: UUID
    var contractId: UUID
    var sequence: Int
    var body: String
    var now: Date
    var retryUntil: Date
    var partner: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(id)
        bindings.append(contractId)
        bindings.append(sequence)
        bindings.append(body)
        bindings.append(now)
        bindings.append(retryUntil)
        bindings.append(partner)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(UUID.self) }
}
