import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import HTTPTypes
import OpenAPIRuntime
import PostgresNIO

/// `POST /v1/contracts/{id}/withdrawal`: the customer's withdrawal within the cooling-off period, passed on by their
/// partner. partner-api changes no contract: it records the withdrawal (one per contract) and its
/// ``WithdrawalRequested`` in its own outbox in one transaction, and webbavtal cancels the contract through the
/// lifecycle — the same rule as a cancellation in the back office, decided here first so the partner hears at once.
extension PartnerAPIHandler {
    private enum WithdrawalAnswer {
        case notFound
        case accepted(requestedAt: Date)
        case periodEnded(at: Date)
        case notWithdrawable(ContractState)
    }

    func withdrawContract(_ input: Operations.WithdrawContract.Input) async throws -> Operations.WithdrawContract.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        let notFound = Operations.WithdrawContract.Output.notFound(.init(body: .applicationProblemJson(Self.contractNotFound)))
        guard let id = UUID(uuidString: input.path.id) else { return notFound }
        var reason: String?
        if case .json(let body)? = input.body, let given = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty {
            reason = given
        }
        if let reason, reason.count > Self.maximumReasonLength {
            let failure = ValidationFailure(issues: [
                ValidationIssue(field: "reason", code: "too_long", message: "at most \(Self.maximumReasonLength) characters")
            ])
            return .unprocessableContent(.init(body: .applicationProblemJson(.init(value1: Self.validationProblem(failure), value2: .init()))))
        }
        let key = input.headers.idempotencyKey
        let now = Date()
        let answer: WithdrawalAnswer = try await client.withTransaction(logger: logger) { connection in
            guard let contract = try await store.contract(id, on: connection), contract.details.partner?.partnerId == partner.id else {
                return .notFound
            }
            if let earlier = try await Self.withdrawal(of: id, on: connection) { return .accepted(requestedAt: earlier) }
            if case .failure = Lifecycle.apply(.cancelled(reason: ""), to: contract.state, facts: contract.facts, now: now) {
                if Self.withdrawableStates.contains(contract.state), let confirmedAt = contract.confirmedAt {
                    return .periodEnded(at: confirmedAt.addingTimeInterval(Lifecycle.withdrawalPeriod))
                }
                return .notWithdrawable(contract.state)
            }
            let inserted = try await connection.query(
                """
                INSERT INTO partner_api.withdrawals (contract_id, partner_id, idempotency_key, reason, requested_at)
                VALUES (\(id), \(partner.id), \(key), \(reason), \(now))
                ON CONFLICT (contract_id) DO NOTHING RETURNING contract_id
                """, logger: logger)
            var isNew = false
            for try await _ in inserted { isNew = true }
            // A concurrent request for the same contract got there first: its receipt is the answer.
            guard isNew else { return .accepted(requestedAt: try await Self.withdrawal(of: id, on: connection) ?? now) }
            let event = WithdrawalRequested(contractId: id, partnerId: partner.id, reason: reason, requestedAt: now)
            try await outbox.enqueue(EventEnvelope(payload: event, contractId: id, occurredAt: now), on: connection, logger: logger)
            return .accepted(requestedAt: now)
        }
        switch answer {
        case .notFound:
            return notFound
        case .accepted(let requestedAt):
            logger.info("withdrawal passed on", metadata: ["avtal.contract.id": "\(id)", "avtal.partner": "\(partner.id)"])
            return .accepted(
                .init(body: .json(.init(contractId: id.uuidString.lowercased(), status: .withdrawalRequested, requestedAt: requestedAt))))
        case .periodEnded(let endedAt):
            let problem = Components.Schemas.Problem(
                type: ProblemType.withdrawalPeriodEnded, status: .unprocessableContent,
                detail: "the 14-day cooling-off period ended \(Timestamp.string(endedAt))")
            return .unprocessableContent(.init(body: .applicationProblemJson(.init(value1: problem, value2: .init(periodEndedAt: endedAt)))))
        case .notWithdrawable(let state):
            let status = Self.status(PartnerView.status(of: state))
            let problem = Components.Schemas.Problem(
                type: ProblemType.notWithdrawable, status: .conflict,
                detail: "a contract that is \(status.rawValue) cannot be withdrawn; only an accepted, awaiting_signature or signed one")
            return .conflict(.init(body: .applicationProblemJson(.init(value1: problem, value2: .init(currentStatus: status)))))
        }
    }

    static let maximumReasonLength = 500

    /// The states a cancellation applies to (the lifecycle's rule), in which only the period can stand in the way.
    static let withdrawableStates = Set(Lifecycle.rules.filter { $0.input == .cancelled }.flatMap(\.from))

    /// When this contract's withdrawal was recorded, if it was.
    static func withdrawal(of contractId: UUID, on connection: PostgresConnection) async throws -> Date? {
        let rows = try await connection.query(
            "SELECT requested_at FROM partner_api.withdrawals WHERE contract_id = \(contractId)", logger: connection.logger)
        for try await requestedAt in rows.decode(Date.self) { return requestedAt }
        return nil
    }
}
