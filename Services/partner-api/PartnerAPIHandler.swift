import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import PostgresNIO

/// The operations of `openapi.yaml`, behind ``PartnerAPIMiddleware`` (which has authenticated the partner).
struct PartnerAPIHandler: APIProtocol {
    let client: PostgresClient
    let store: ContractStore
    /// partner-api's own outbox: the withdrawals it passes on.
    let outbox: Outbox
    let catalogue: ProductCatalogue
    /// The partners' webhooks, and the status events queued for them (`received` with each new contract).
    let webhooks: WebhookRegistry
    let notices: StatusNotices
    /// Told when a partner's webhook changes, so this replica's remembered partners have it at once.
    let directory: PartnerDirectory
    /// Local mode: a webhook may be an http:// or loopback address (the sandbox's receiver).
    let allowsInternalAddresses: Bool
    let logger: Logger

    private enum Intake {
        case created(id: UUID, receivedAt: Date, notified: Bool)
        case replayed(id: UUID, receivedAt: Date)
        case keyReused
        case duplicateReference(UUID)
        case invalid(ValidationFailure)
    }

    func createContract(_ input: Operations.CreateContract.Input) async throws -> Operations.CreateContract.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        guard case .json(let body) = input.body else { throw PartnerAPIError.unreadableBody }
        let key = input.headers.idempotencyKey
        let digest = try IdempotencyRecord.digest(of: body)
        let now = Date()
        let mapping = ContractRequestMapping(partner: partner, catalogue: catalogue, today: CivilDate(swedishDateAt: now))
        let validated = mapping.details(from: body)

        let intake: Intake = try await client.withTransaction(logger: logger) { connection in
            if let key, let earlier = try await IdempotencyRecord.lockAndFind(partner: partner.id, key: key, on: connection, logger: logger) {
                return earlier.requestDigest == digest ? .replayed(id: earlier.contractId, receivedAt: earlier.receivedAt) : .keyReused
            }
            let details: ContractDetails
            switch validated {
            case .failure(let failure): return .invalid(failure)
            case .success(let valid): details = valid
            }
            let outcome: ContractStore.InsertOutcome
            do {
                outcome = try await store.insert(details, by: .partner(partner.id), now: now, on: connection)
            } catch let failure as ValidationFailure {
                return .invalid(ValidationFailure(issues: failure.issues.compactMap(ContractRequestMapping.apiIssue)))
            }
            switch outcome {
            case .existingReference(let existing):
                return .duplicateReference(existing)
            case .created(let stored):
                // Only a partner with a webhook pays for the statement that queues `received`.
                var notified = false
                if partner.hasWebhook, let reference = stored.details.partner {
                    notified = try await notices.received(stored.id, partner: reference, at: stored.createdAt, on: connection)
                }
                if let key {
                    try await IdempotencyRecord(requestDigest: digest, contractId: stored.id, receivedAt: stored.createdAt)
                        .save(partner: partner.id, key: key, on: connection, logger: logger)
                }
                return .created(id: stored.id, receivedAt: stored.createdAt, notified: notified)
            }
        }

        if case .created(_, _, notified: true) = intake { WebhookSettings.doorbell.ring() }
        switch intake {
        case .created(let id, let receivedAt, _), .replayed(let id, let receivedAt):
            let receipt = Components.Schemas.ContractReceipt(id: id.uuidString.lowercased(), status: .received, receivedAt: receivedAt)
            return .created(.init(headers: .init(location: "/v1/contracts/\(id.uuidString.lowercased())"), body: .json(receipt)))
        case .keyReused:
            return .unprocessableContent(.init(body: .applicationProblemJson(Self.idempotencyKeyReused)))
        case .duplicateReference(let existing):
            let problem = Components.Schemas.Problem(
                type: ProblemType.duplicateReference, status: .conflict, detail: "a contract with this externalReference exists already")
            return .conflict(
                .init(body: .applicationProblemJson(.init(value1: problem, value2: .init(existingId: existing.uuidString.lowercased())))))
        case .invalid(let failure):
            return .unprocessableContent(.init(body: .applicationProblemJson(Self.validationProblem(failure))))
        }
    }

    func getContract(_ input: Operations.GetContract.Input) async throws -> Operations.GetContract.Output {
        guard let partner = RequestPartner.current else { return .unauthorized(.init(body: .applicationProblemJson(Self.unauthorized))) }
        let notFound = Operations.GetContract.Output.notFound(.init(body: .applicationProblemJson(Self.contractNotFound)))
        guard let id = UUID(uuidString: input.path.id) else { return notFound }
        let found = try await client.withConnection { connection -> (StoredContract, [AuditRecord])? in
            guard let contract = try await store.contract(id, on: connection), contract.details.partner?.partnerId == partner.id else { return nil }
            return (contract, try await store.auditTrail(id, on: connection))
        }
        guard let (contract, trail) = found else { return notFound }
        let history = PartnerView.history(trail.compactMap { record in record.toState.map { (state: $0, at: record.at) } })
        let actions = PartnerView.actions(state: contract.state, reasons: contract.needsMKAReasons, facilities: contract.details.facilities)
        let status = Components.Schemas.ContractStatus(
            id: id.uuidString.lowercased(),
            externalReference: contract.details.partner?.externalReference ?? "",
            status: Self.status(PartnerView.status(of: contract.state)),
            receivedAt: contract.createdAt,
            history: history.map { .init(status: Self.status($0.status), at: $0.at) },
            actions: actions.compactMap { action in
                Components.Schemas.ContractStatus.ActionsPayloadPayload.CodePayload(rawValue: action.code).map {
                    .init(code: $0, field: action.field, message: action.message)
                }
            }
        )
        return .ok(.init(body: .json(status)))
    }

    func listProducts(_ input: Operations.ListProducts.Input) async throws -> Operations.ListProducts.Output {
        let products = catalogue.products.map { product in
            Components.Schemas.Product(
                code: product.code, name: product.name, pricing: .init(rawValue: product.pricing.rawValue) ?? .variable,
                bindingMonths: product.bindingMonths)
        }
        return .ok(.init(body: .json(.init(products: products))))
    }

    static let unauthorized = Components.Schemas.Problem(type: ProblemType.unauthorized, status: .unauthorized)

    /// Another partner's contract is not found either: a partner never learns that it exists.
    static let contractNotFound = Components.Schemas.Problem(
        type: ProblemType.notFound, status: .notFound, detail: "no such contract for this partner")

    /// An `Idempotency-Key` sent before with another body (a contract's or a supplement's).
    static let idempotencyKeyReused = Components.Schemas.Problem(
        type: ProblemType.idempotencyKeyReused, status: .unprocessableContent,
        detail: "this Idempotency-Key was used before with another request body")

    static func status(_ status: PartnerView.Status) -> Components.Schemas.Status {
        Components.Schemas.Status(rawValue: status.rawValue) ?? .received
    }

    static func validationProblem(_ failure: ValidationFailure) -> Components.Schemas.Problem {
        Components.Schemas.Problem(
            type: ProblemType.validation, status: .unprocessableContent,
            detail: "\(failure.issues.count) field(s) are not valid; see errors",
            errors: failure.issues.map { .init(field: $0.field, code: $0.code, message: $0.message) })
    }
}

enum PartnerAPIError: Error {
    case unreadableBody
}
