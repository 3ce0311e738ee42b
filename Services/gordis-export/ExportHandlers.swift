import AvtalDomain
public import AvtalMessaging
public import AvtalPersistence
import AvtalThirdParty
public import AvtalXellent
import Foundation
public import Logging

/// gordis-export's consumers: each `SpecialContractFinalized` (and each `ExportRetryRequested` MKA sends after a
/// failure) becomes one agreement in Xellent, exactly once.
///
/// Xellent is first asked what it holds under our reference (the contract id), so a redelivery, a replica or a
/// restart after a crash between Xellent's answer and our commit finds the agreement instead of making another; and
/// creating is idempotent by the same reference. The outcome — `ContractExported` with Xellent's id, or
/// `ExportFailed` with the reason — goes out through the outbox in the transaction that records the message in the
/// inbox and the export in the ledger. Xellent refusing the data fails at once (repeating will not help); Xellent
/// unavailable is retried through the delay tiers and fails only on the last.
public enum ExportHandlers {
    public static let routingKeys = [RoutingKey.specialContractFinalized, RoutingKey.exportRetryRequested]

    public static func make(xellent: any XellentBilling, inbox: Inbox, outbox: Outbox, retry: RetryPolicy, logger: Logger) -> EventHandlers {
        let ledger = ExportLedger(logger: logger)
        /// Xellent's receipt, or why it failed for good: refused, or unavailable on the message's last attempt.
        @Sendable func push(_ contractId: UUID, _ details: ContractDetails, lastAttempt: Bool) async throws -> Result<XellentReceipt, ThirdPartyError>
        {
            let reference = contractId.uuidString.lowercased()
            do {
                if let existing = try await xellent.agreement(reference: reference) { return .success(existing) }
                return .success(try await xellent.create(XellentMapping.agreement(contractId: contractId, details: details)))
            } catch {
                guard error.code != .unavailable || lastAttempt else {
                    logger.warning("Xellent unavailable, will retry", metadata: ["avtal.contract.id": "\(contractId)", "avtal.error": "\(error)"])
                    throw error
                }
                return .failure(error)
            }
        }
        @Sendable func export(_ header: EnvelopeHeader, _ message: InboundMessage, contractId: UUID, details: ContractDetails) async throws {
            guard details.kind == .special else {
                throw UnprocessableMessage("gordis-export exports only special contracts (\(contractId) is \(details.kind.rawValue))")
            }
            try await inbox.once(header) {
                try await push(contractId, details, lastAttempt: retry.isLastAttempt(message))
            } record: { outcome, connection in
                switch outcome {
                case .success(let receipt):
                    try await ledger.exported(contractId, xellentId: receipt.xellentId, on: connection)
                    let event = ContractExported(contractId: contractId, xellentReference: receipt.xellentId)
                    try await outbox.enqueue(EventEnvelope(payload: event, causedBy: header, contractId: contractId), on: connection, logger: logger)
                    logger.info("exported to Xellent", metadata: ["avtal.contract.id": "\(contractId)", "avtal.xellent.id": "\(receipt.xellentId)"])
                case .failure(let error):
                    let reason =
                        error.code == .unavailable ? "Xellent did not answer (\(error.message))" : "Xellent refused the contract: \(error.message)"
                    try await ledger.failed(contractId, reason: reason, on: connection)
                    let event = ExportFailed(contractId: contractId, reason: reason)
                    try await outbox.enqueue(EventEnvelope(payload: event, causedBy: header, contractId: contractId), on: connection, logger: logger)
                    logger.warning("export to Xellent failed", metadata: ["avtal.contract.id": "\(contractId)", "avtal.reason": "\(reason)"])
                }
            }
        }
        var handlers = EventHandlers()
        handlers.on(SpecialContractFinalized.eventType) { event in
            let finalized = try event.envelope(as: SpecialContractFinalized.self).payload
            try await export(event.header, event.message, contractId: finalized.contractId, details: finalized.snapshot)
        }
        handlers.on(ExportRetryRequested.eventType) { event in
            let retry = try event.envelope(as: ExportRetryRequested.self).payload
            try await export(event.header, event.message, contractId: retry.contractId, details: retry.snapshot)
        }
        return handlers
    }
}
