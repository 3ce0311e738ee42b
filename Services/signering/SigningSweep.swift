import AvtalDomain
import AvtalPersistence
import Foundation
import Logging
import Metrics
import PostgresNIO
public import ServiceLifecycle

/// signering's own timer: subscribes at GetAccept once (recorded, so a restart does not subscribe again), then every
/// `interval` sends one reminder for each live document unsigned after `remindAfter`, settles documents past their
/// expiry — re-read from GetAccept; still unsigned: recalled there and published as `SigningExpired` — and asks
/// GetAccept about live documents `checkAfter` after sending (then at doubling intervals), settling those that were
/// signed or rejected without their webhook reaching us and recalling any second document of the same round.
public struct SigningSweep: Service, CustomStringConvertible {
    public static let events = ["document.signed", "document.rejected", "document.expired", "document.viewed"]

    let handlers: SigningHandlers
    let webhookURL: String
    let interval: Duration
    let remindAfter: Duration
    let checkAfter: Duration

    /// Its name only, never its fields: the webhook URL holds the secret.
    public var description: String { "SigningSweep" }

    public init(handlers: SigningHandlers, webhookURL: String, interval: Duration, remindAfter: Duration, checkAfter: Duration) {
        self.handlers = handlers
        self.webhookURL = webhookURL
        self.interval = interval
        self.remindAfter = remindAfter
        self.checkAfter = checkAfter
    }

    public func run() async throws {
        // On SIGTERM, stop at once: an in-flight call to GetAccept is cancelled rather than waited for.
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    func loop() async {
        var subscribed = false
        while !Task.isCancelledOrShuttingDown {
            if !subscribed { subscribed = await subscribe() }
            do {
                try await sweep()
            } catch {
                handlers.logger.warning("signing sweep failed", metadata: ["avtal.error": "\(String(reflecting: type(of: error)))"])
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    func subscribe() async -> Bool {
        do {
            for event in Self.events {
                let new = try await handlers.client.withConnection {
                    try await handlers.ledger.recordSubscription(event: event, targetURL: webhookURL, on: $0)
                }
                guard new else { continue }
                do {
                    try await handlers.provider.subscribe(events: [event], targetURL: webhookURL)
                } catch {
                    // Not subscribed after all: forget it, so the next round tries again.
                    try await handlers.client.withConnection {
                        try await handlers.ledger.forgetSubscription(event: event, targetURL: webhookURL, on: $0)
                    }
                    throw error
                }
            }
            return true
        } catch {
            handlers.logger.warning("cannot subscribe to GetAccept's webhooks yet", metadata: ["avtal.error": "\(error)"])
            return false
        }
    }

    /// One pass over due reminders, expiries and status checks, by one replica at a time: a transaction holds a
    /// transaction-level advisory lock for the pass (it writes nothing itself, so it holds no snapshot open), and the
    /// other replicas skip their pass. Each round is its own problem: a document GetAccept refuses or cannot find is
    /// logged and moved past — a refused reminder counts as sent, a failed check is tried later — and the pass goes on
    /// with the rest. Returns false when another replica held the sweep.
    @discardableResult
    public func sweep() async throws -> Bool {
        try await handlers.client.withTransaction(logger: handlers.logger) { lock in
            let rows = try await lock.query("SELECT pg_try_advisory_xact_lock(hashtext('avtal.sweep.signering'))", logger: handlers.logger)
            var acquired = false
            for try await value in rows.decode(Bool.self) { acquired = value }
            guard acquired else { return false }
            try await pass()
            return true
        }
    }

    private func pass() async throws {
        let now = handlers.now()
        // The documents out for signature: with the webhooks received, whether GetAccept has gone quiet.
        let live = try await handlers.client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT count(*)::bigint FROM signering.signing_requests WHERE state = 'live'", logger: handlers.logger)
            var count: Int64 = 0
            for try await value in rows.decode(Int64.self) { count = value }
            return count
        }
        Gauge(label: "avtal_signing_documents_live").record(live)
        let due = try await handlers.client.withConnection {
            try await handlers.ledger.dueRounds(sentBefore: now.addingTimeInterval(-remindAfter.timeInterval), now: now, limit: 100, on: $0)
        }
        for round in due.remind {
            guard let documentId = round.documentId else { continue }
            do {
                try await handlers.provider.remind(documentId: documentId)
            } catch let error as SigningError where error.code == .rejected {
                // GetAccept will not remind about this document (gone, or not pending): asking again will not help.
                logger(round, "GetAccept refused a reminder; it is not asked again", error)
            } catch {
                logger(round, "a reminder could not be sent; the next pass tries again", error)
                continue
            }
            try await handlers.client.withConnection { try await handlers.ledger.markReminded(round, now: now, on: $0) }
        }
        for round in due.expire {
            guard let documentId = round.documentId else { continue }
            do {
                var document = try await handlers.provider.document(id: documentId)
                if let pending = document, pending.status == .pending {
                    try await handlers.provider.recall(documentId: documentId)
                    document?.status = .expired
                }
                _ = try await OutboxWrites.announcing {
                    try await handlers.client.withTransaction(logger: handlers.logger) { connection in
                        try await handlers.settle(round, with: document, header: nil, on: connection)
                    }
                }
            } catch {
                logger(round, "an expired round could not be settled; the next pass tries again", error)
            }
        }
        let unheard = try await handlers.client.withConnection {
            try await handlers.ledger.roundsToCheck(checkAfter: checkAfter, now: now, limit: 100, on: $0)
        }
        for round in unheard {
            guard let documentId = round.documentId else { continue }
            do {
                let document = try await handlers.provider.document(id: documentId)
                // A create that landed after its caller gave up is found here at the latest.
                await handlers.recallExtras(of: round, keeping: documentId)
                try await OutboxWrites.announcing {
                    try await handlers.client.withTransaction(logger: handlers.logger) { connection in
                        if try await handlers.settle(round, with: document, header: nil, on: connection) {
                            handlers.logger.notice("a signing outcome found by asking GetAccept (its webhook never came)")
                        } else {
                            try await handlers.ledger.markChecked(round, checkAfter: checkAfter, now: now, on: connection)
                        }
                    }
                }
            } catch {
                logger(round, "a status check failed; it is tried again later", error)
                _ = try? await handlers.client.withConnection {
                    try await handlers.ledger.markChecked(round, checkAfter: checkAfter, now: now, on: $0)
                }
            }
        }
    }

    private func logger(_ round: SigningRound, _ message: Logger.Message, _ error: any Error) {
        handlers.logger.warning(
            message, metadata: ["avtal.contract.id": "\(round.contractId)", "avtal.round": "\(round.round)", "avtal.error": "\(error)"])
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { isCancelled || isShuttingDownGracefully }
}
