import AvtalDomain
import AvtalPersistence
import Foundation
import NIOCore
import PostgresNIO

// The statements of a signing round's way, prepared once per connection: every contract to be signed runs each of
// them at least once (``SigningLedger``).

/// A round's row as ``SigningLedger`` decodes it.
protocol SigningRoundStatement: PostgresPreparedStatement where Row == SigningRound {}

extension SigningRoundStatement {
    static var columns: String {
        "SELECT contract_id, round, state, method, document_id, expires_at, traceparent FROM signering.signing_requests"
    }

    func decodeRow(_ row: PostgresRow) throws -> SigningRound {
        let (contractId, round, state, method, documentId, expiresAt, traceparent) = try row.decode(
            (UUID, Int, String, String, String?, Date, String?).self)
        return SigningRound(
            contractId: contractId, round: round, state: SigningRound.State(rawValue: state) ?? .failed,
            method: SignatureMethod(rawValue: method) ?? .email, documentId: documentId, expiresAt: expiresAt, traceparent: traceparent)
    }
}

/// The contract's latest round.
struct LatestSigningRound: SigningRoundStatement {
    static let name = "avtal.signing.latest-round"
    static let sql = "\(columns) WHERE contract_id = $1 ORDER BY round DESC LIMIT 1"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    var contractId: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(contractId)
        return bindings
    }
}

/// A round by its contract and number.
struct SigningRoundByNumber: SigningRoundStatement {
    static let name = "avtal.signing.round"
    static let sql = "\(columns) WHERE contract_id = $1 AND round = $2"
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .int8]

    var contractId: UUID
    var round: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(contractId)
        bindings.append(round)
        return bindings
    }
}

/// The round that sent a document.
struct SigningRoundByDocument: SigningRoundStatement {
    static let name = "avtal.signing.round-by-document"
    static let sql = "\(columns) WHERE document_id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.text]

    var documentId: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(documentId)
        return bindings
    }
}

/// A new round, `intended`, unless a round of its number exists: its number back when inserted.
struct SigningRoundInsert: PostgresPreparedStatement {
    typealias Row = Int
    static let name = "avtal.signing.open"
    static let sql = """
        INSERT INTO signering.signing_requests (contract_id, round, external_id, method, state, requested_at, expires_at, traceparent)
        VALUES ($1, $2, $3, $4, 'intended', $5, $6, $7)
        ON CONFLICT (contract_id, round) DO NOTHING
        RETURNING round
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .int8, .text, .text, .timestamptz, .timestamptz, .text]

    var round: SigningRound
    var requestedAt: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(round.contractId)
        bindings.append(round.round)
        bindings.append(round.externalId)
        bindings.append(round.method.rawValue)
        bindings.append(requestedAt)
        bindings.append(round.expiresAt)
        bindings.append(round.traceparent)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}

/// The claim to call GetAccept for an intended round, by the database's clock; a row back when it was taken: how many
/// times the round has been claimed (a renewal does not count).
struct SigningClaim: PostgresPreparedStatement {
    static let name = "avtal.signing.claim"
    static let sql = """
        UPDATE signering.signing_requests
        SET sending_until = now() + make_interval(secs => $3), sending_claims = sending_claims + CASE WHEN $4 THEN 0 ELSE 1 END
        WHERE contract_id = $1 AND round = $2 AND state = 'intended' AND ($4 OR sending_until IS NULL OR sending_until <= now())
        RETURNING sending_claims
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .int8, .float8, .bool]

    var round: SigningRound
    var leaseSeconds: Double
    var renewing: Bool

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(round.contractId)
        bindings.append(round.round)
        bindings.append(leaseSeconds)
        bindings.append(renewing)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
}

/// Moves a round from one of some states to another, and writes the event the move causes, if any, to signering's
/// outbox in the same statement (only when the round moved); a row back when it moved.
struct SigningRoundMove: PostgresPreparedStatement {
    static let name = "avtal.signing.move"
    static let sql = """
        WITH moved AS (
            UPDATE signering.signing_requests SET state = $3,
                document_id = COALESCE($5, document_id), recipient_id = COALESCE($6, recipient_id),
                sent_at = CASE WHEN $3 = 'live' THEN $7 ELSE sent_at END,
                finished_at = CASE WHEN $8 THEN $7 ELSE finished_at END
            WHERE contract_id = $1 AND round = $2 AND state = ANY($4)
            RETURNING round
        ), events AS (
            \(OutboxRow.insertSQL(schema: "signering", arraysFrom: 9, traceparent: "$13", for: "moved"))
        )
        SELECT round FROM moved
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .int8, .text, .textArray, .text, .text, .timestamptz, .bool, .uuidArray, .textArray, .textArray, .byteaArray, .text,
    ]

    var round: SigningRound
    var from: [SigningRound.State]
    var to: SigningRound.State
    var documentId: String?
    var recipientId: String?
    var now: Date
    var event: OutboxRow?

    func makeBindings() throws -> PostgresBindings {
        let finished = [SigningRound.State.signed, .rejected, .expired, .recalled, .failed].contains(to)
        let events = event.map { [$0] } ?? []
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(round.contractId)
        bindings.append(round.round)
        bindings.append(to.rawValue)
        bindings.append(from.map(\.rawValue))
        bindings.append(documentId)
        bindings.append(recipientId)
        bindings.append(now)
        bindings.append(finished)
        bindings.appendColumns(of: events)
        bindings.append(event?.traceparent)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
}

/// Keeps a webhook as it came (its id back), before it is looked at: every signature's webhook runs it.
struct WebhookRecord: PostgresPreparedStatement {
    typealias Row = Int64
    static let name = "avtal.signering.webhook.record"
    static let sql = "INSERT INTO signering.webhooks (event, document_id, body) VALUES ($1, $2, $3::jsonb) RETURNING id"
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text]

    var event: String?
    var documentId: String?
    var body: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(event)
        bindings.append(documentId)
        bindings.append(body)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}
