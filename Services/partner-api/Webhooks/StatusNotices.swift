public import AvtalDomain
public import Foundation
public import Logging
public import PostgresNIO

/// Turns a partner's contract's status changes into webhook deliveries, numbered per contract: `received` is 1 (queued
/// with the contract itself), each later change the next number (``PartnerStatusChanged`` from webbavtal). A partner
/// without a webhook gets no delivery, but the numbering goes on, so a webhook registered later continues it.
///
/// Idempotent without an inbox: the contract's version in each event says whether it was told already — a repeated or
/// late event (a version not above the last told) changes nothing.
public struct StatusNotices: Sendable {
    let schedule: DeliverySchedule
    let logger: Logger

    public init(schedule: DeliverySchedule, logger: Logger) {
        self.schedule = schedule
        self.logger = logger
    }

    /// Queues `received` for a contract just stored from `partner`, in the transaction that stores it: one statement,
    /// which inserts nothing when the partner has no webhook. Whether it queued one.
    func received(_ contractId: UUID, partner: PartnerReference, at: Date, on connection: PostgresConnection) async throws -> Bool {
        let event = StatusEvent(contractId: contractId, externalReference: partner.externalReference, status: .received, sequence: 1, changedAt: at)
        return try await queue(event, contractId: contractId, partner: partner.partnerId, sequence: 1, at: at, on: connection)
    }

    /// Queues the change `event` tells of, unless it was told already: one statement, no transaction. Whether a
    /// delivery was queued.
    @discardableResult
    public func changed(_ event: PartnerStatusChanged, now: Date, on connection: PostgresConnection) async throws -> Bool {
        guard let status = PartnerView.Status(rawValue: event.status) else { throw StatusNoticeError.unknownStatus(event.status) }
        let body = StatusEvent(
            contractId: event.contractId, externalReference: event.externalReference, status: status, sequence: 0, changedAt: event.changedAt)
        let (before, after) = try body.bodyAroundSequence()
        let statement = StatusChangeQueue(
            id: .random(), contractId: event.contractId, bodyBefore: before, bodyAfter: after, now: now, retryUntil: schedule.deadline(from: now),
            partner: event.partnerId, contractVersion: event.contractVersion)
        var queued = false
        for try await _ in try await connection.execute(statement, logger: logger) { queued = true }
        return queued
    }

    /// Whether a delivery was queued: the partner has a webhook.
    private func queue(
        _ event: StatusEvent, contractId: UUID, partner: String, sequence: Int, at now: Date, on connection: PostgresConnection
    ) async throws -> Bool {
        let until = schedule.deadline(from: now)
        let statement = WebhookDeliveryQueue(
            id: .random(), contractId: contractId, sequence: sequence, body: try event.body(), now: now, retryUntil: until, partner: partner)
        let rows = try await connection.execute(statement, logger: logger)
        var queued = false
        for try await _ in rows { queued = true }
        return queued
    }
}

enum StatusNoticeError: Error, CustomStringConvertible {
    case unknownStatus(String)

    var description: String {
        switch self {
        case .unknownStatus(let status): "a status partners do not know: \(status)"
        }
    }
}
