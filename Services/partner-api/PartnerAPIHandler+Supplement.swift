import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIRuntime
import PostgresNIO

/// `POST /v1/contracts/{id}/supplements`: what a contract under review was missing, supplied by its partner. Only the
/// fields the review's reasons ask for (``Supplement``), validated like the original submission; partner-api records
/// it with its ``SupplementSubmitted`` in its own outbox in one transaction, and webbavtal applies it as the partner's
/// edit and sends the contract back to kontroll.
extension PartnerAPIHandler {
    private enum SupplementAnswer {
        case notFound
        case accepted(id: UUID, submittedAt: Date)
        case keyReused
        case notUnderReview(ContractState)
        case notExpected(fields: [String], state: ContractState)
        case invalid(ValidationFailure)
    }

    func supplementContract(_ input: Operations.SupplementContract.Input) async throws -> Operations.SupplementContract.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        let notFound = Operations.SupplementContract.Output.notFound(.init(body: .applicationProblemJson(Self.contractNotFound)))
        guard let id = UUID(uuidString: input.path.id) else { return notFound }
        guard case .json(let body) = input.body else { throw PartnerAPIError.unreadableBody }
        var supplement = Supplement(
            facilities: (body.facilities ?? []).map { change in
                Supplement.FacilityChange(
                    position: change.position, meteringPointId: change.meteringPointId,
                    priceArea: change.priceArea.flatMap { PriceArea(rawValue: $0.rawValue) })
            })
        var formIssues: [ValidationIssue] = []
        if let text = body.startDate {
            supplement.startDate = CivilDate(text)
            if supplement.startDate == nil {
                formIssues.append(ValidationIssue(field: "startDate", code: "format", message: "must be a date, YYYY-MM-DD"))
            }
        }
        let key = input.headers.idempotencyKey
        let digest = try Self.digest(of: supplement)
        let now = Date()
        let answer: SupplementAnswer = try await client.withTransaction(logger: logger) { connection in
            if let key, let earlier = try await Self.lockAndFindSupplement(partner: partner.id, key: key, on: connection) {
                return earlier.digest == digest ? .accepted(id: earlier.id, submittedAt: earlier.submittedAt) : .keyReused
            }
            guard let contract = try await store.contract(id, on: connection), contract.details.partner?.partnerId == partner.id else {
                return .notFound
            }
            guard contract.state == .needsMKA else { return .notUnderReview(contract.state) }
            let unexpected = supplement.unexpected(reasons: contract.needsMKAReasons)
            guard unexpected.isEmpty else { return .notExpected(fields: unexpected, state: contract.state) }
            let issues = formIssues + supplement.issues(facilityCount: contract.details.facilities.count)
            guard issues.isEmpty else { return .invalid(ValidationFailure(issues: issues)) }
            // Validated like the original: the whole contract as it would be, by the partner API's own rules.
            if case .failure(let failure) = IntakeRules.validated(
                supplement.applied(to: contract.details), catalogue: catalogue, today: CivilDate(swedishDateAt: now))
            {
                return .invalid(ValidationFailure(issues: failure.issues.compactMap(ContractRequestMapping.apiIssue)))
            }
            let supplementId = UUID.random()
            try await connection.query(
                """
                INSERT INTO partner_api.supplements
                    (id, contract_id, partner_id, idempotency_key, request_digest, supplement, based_on_version, submitted_at)
                VALUES (\(supplementId), \(id), \(partner.id), \(key), \(ByteBuffer(bytes: digest)),
                    \(String(decoding: try JSONEncoder().encode(supplement), as: UTF8.self))::jsonb, \(contract.version), \(now))
                """, logger: logger)
            let event = SupplementSubmitted(
                supplementId: supplementId, contractId: id, partnerId: partner.id, supplement: supplement, basedOnVersion: contract.version,
                submittedAt: now)
            try await outbox.enqueue(EventEnvelope(payload: event, contractId: id, occurredAt: now), on: connection, logger: logger)
            return .accepted(id: supplementId, submittedAt: now)
        }
        switch answer {
        case .notFound:
            return notFound
        case .accepted(let supplementId, let submittedAt):
            logger.info(
                "supplement accepted",
                metadata: ["avtal.contract.id": "\(id)", "avtal.partner": "\(partner.id)", "avtal.supplement.id": "\(supplementId)"])
            return .accepted(
                .init(
                    body: .json(
                        .init(
                            id: supplementId.uuidString.lowercased(), contractId: id.uuidString.lowercased(), status: .submitted,
                            submittedAt: submittedAt))))
        case .keyReused:
            return .unprocessableContent(.init(body: .applicationProblemJson(Self.idempotencyKeyReused)))
        case .notUnderReview(let state):
            let status = Self.status(PartnerView.status(of: state))
            let problem = Components.Schemas.Problem(
                type: ProblemType.notUnderReview, status: .conflict,
                detail: "the contract is \(status.rawValue), no longer under review: nothing can be supplied now")
            return .conflict(.init(body: .applicationProblemJson(.init(value1: problem, value2: .init(currentStatus: status)))))
        case .notExpected(let fields, let state):
            let problem = Components.Schemas.Problem(
                type: ProblemType.supplementNotExpected, status: .conflict,
                detail: "no action of this contract asks for \(fields.joined(separator: ", ")); see actions in GET /v1/contracts/{id}")
            return .conflict(
                .init(body: .applicationProblemJson(.init(value1: problem, value2: .init(currentStatus: Self.status(PartnerView.status(of: state))))))
            )
        case .invalid(let failure):
            return .unprocessableContent(.init(body: .applicationProblemJson(Self.validationProblem(failure))))
        }
    }

    /// The digest of a supplement's meaning (encoded with sorted keys), for its Idempotency-Key.
    static func digest(of supplement: Supplement) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(SHA256.hash(data: try encoder.encode(supplement)))
    }

    /// Waits for any other request holding the same key, then reads the supplement it recorded, if any.
    static func lockAndFindSupplement(
        partner: String, key: String, on connection: PostgresConnection
    ) async throws -> (id: UUID, digest: [UInt8], submittedAt: Date)? {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext(\("avtal.supplement." + partner + "." + key)))", logger: connection.logger)
        let rows = try await connection.query(
            "SELECT id, request_digest, submitted_at FROM partner_api.supplements WHERE partner_id = \(partner) AND idempotency_key = \(key)",
            logger: connection.logger)
        for try await (id, digest, submittedAt) in rows.decode((UUID, ByteBuffer, Date).self) {
            return (id, Array(buffer: digest), submittedAt)
        }
        return nil
    }
}
