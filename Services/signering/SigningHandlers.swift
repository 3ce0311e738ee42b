import AvtalDomain
public import AvtalMessaging
public import AvtalPersistence
import AvtalTracing
public import Foundation
public import Logging
import Metrics
public import PostgresNIO
import Tracing

/// signering's consumers.
///
/// - `ContractApproved` of a contract that must be signed: record the round's intent, look the document up at
///   GetAccept by our external id (it is there if an earlier attempt crashed after GetAccept answered), send it only
///   if it is not, then mark the round live and publish `SigningRequested` with the inbox entry. A refused recipient
///   ends the round as failed and publishes `SigningRejected`.
/// - `SigningWebhookReceived`: re-read the document from GetAccept — the webhook's own body is never trusted — and
///   publish `ContractSigned`, `SigningRejected` or `SigningExpired` when the round was live. Anything else
///   (a viewed after a signed, a duplicate, an unknown document) changes nothing.
/// - `ContractCancelled` / `ContractRejected`: recall a live document so it can no longer be signed.
public struct SigningHandlers: Sendable {
    public static let routingKeys = [
        RoutingKey.contractApproved, RoutingKey.contractCancelled, RoutingKey.contractRejected, SigningWebhookReceived.routingKey,
    ]

    let provider: any SigningProvider
    let client: PostgresClient
    let ledger: SigningLedger
    let inbox: Inbox
    let outbox: Outbox
    let expiry: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        provider: any SigningProvider, client: PostgresClient, inbox: Inbox, outbox: Outbox, expiry: Duration, logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.provider = provider
        self.client = client
        self.ledger = SigningLedger(logger: logger)
        self.inbox = inbox
        self.outbox = outbox
        self.expiry = expiry
        self.logger = logger
        self.now = now
    }

    public func make() -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(ContractApproved.eventType) { event in
            let envelope = try event.envelope(as: ContractApproved.self)
            try await approved(envelope.payload, header: event.header)
        }
        handlers.on(SigningWebhookReceived.eventType) { event in
            let envelope = try event.envelope(as: SigningWebhookReceived.self)
            try await webhook(envelope.payload, header: event.header)
        }
        handlers.on(ContractCancelled.eventType) { event in
            try await recall(contractId: try event.envelope(as: ContractCancelled.self).payload.contractId, header: event.header)
        }
        handlers.on(ContractRejected.eventType) { event in
            try await recall(contractId: try event.envelope(as: ContractRejected.self).payload.contractId, header: event.header)
        }
        return handlers
    }

    // MARK: Requesting a signature

    /// What came of asking GetAccept for a round's document.
    enum Sending: Sendable {
        /// The round was already live or settled (a redelivery, another replica): nothing to send.
        case nothingToSend
        /// The round's document; `mayHaveTwin`: another document of the round may exist at GetAccept.
        case sent(SigningRound, SigningDocument, mayHaveTwin: Bool)
        /// GetAccept refused the recipient: repeating will not help.
        case refused(SigningRound, SigningError)
    }

    func approved(_ approved: ContractApproved, header: EnvelopeHeader) async throws {
        guard approved.requiresSignature else {
            try await inbox.apply(header) { _ in }
            return
        }
        let contractId = approved.contractId
        /// The round as it went live, with its document and whether it may have a twin: what `approved` still does
        /// after the commit.
        var liveRound: (SigningRound, SigningDocument, mayHaveTwin: Bool)?
        let withdraw = try await inbox.once(header) {
            try await send(approved)
        } record: { sending, connection -> String? in
            switch sending {
            case .nothingToSend:
                return nil
            case .refused(let round, let error):
                logger.warning(
                    "GetAccept refused the signing request", metadata: ["avtal.contract.id": "\(contractId)", "avtal.error": "\(error.detail)"])
                let event = SigningRejected(
                    contractId: contractId, documentId: "", reason: "signing request rejected: invalid phone/e-mail (\(error.detail))")
                _ = try await ledger.move(
                    round, from: [.intended], to: .failed, emitting: try outbox.row(envelope(event, header, contractId)), now: now(), on: connection)
                return nil
            case .sent(let round, let document, let mayHaveTwin):
                let event = SigningRequested(contractId: contractId, documentId: document.id)
                let live = try await ledger.move(
                    round, from: [.intended], to: .live, documentId: document.id, recipientId: document.recipientId,
                    emitting: try outbox.row(envelope(event, header, contractId)), now: now(), on: connection)
                // The round was recalled (the contract cancelled) while the document was being sent: withdraw it too.
                guard live else { return document.id }
                // A document found from an earlier attempt may be settled already, its webhook sent to a process that
                // is gone: settle it now rather than wait for a webhook that will not come.
                var sent = round
                sent.state = .live
                sent.documentId = document.id
                liveRound = (sent, document, mayHaveTwin)
                try await settle(sent, with: document, header: header, on: connection)
                return nil
            }
        }
        if let documentId = withdraw ?? nil {
            try await provider.recall(documentId: documentId)
        } else if let (round, document, mayHaveTwin) = liveRound {
            // Only a round whose create may have been repeated can have a second document: one call fewer for every
            // other contract signed.
            if mayHaveTwin { await recallExtras(of: round, keeping: document.id) }
            await settleEarlyWebhooks(round, header: header)
        }
    }

    /// A webhook that came while the round was still being sent found no round to settle and was only recorded: now
    /// that the round is live, the document is read again and settled. Best effort: the status checks of the
    /// signing sweep find the outcome later if this fails.
    private func settleEarlyWebhooks(_ live: SigningRound, header: EnvelopeHeader) async {
        guard let documentId = live.documentId else { return }
        do {
            guard try await client.withConnection({ try await ledger.hasWebhooks(documentId: documentId, on: $0) }) else { return }
            let current = try await provider.document(id: documentId)
            try await OutboxWrites.announcing {
                try await client.withTransaction(logger: logger) { connection in
                    if try await settle(live, with: current, header: header, on: connection) {
                        logger.notice(
                            "a signing outcome whose webhook came before the round was live", metadata: ["avtal.contract.id": "\(live.contractId)"])
                    }
                }
            }
        } catch {
            logger.warning(
                "an early webhook's document could not be read; the status check finds its outcome later",
                metadata: ["avtal.contract.id": "\(live.contractId)", "avtal.error": "\(error)"])
        }
    }

    /// A round's claim to call GetAccept (``SigningLedger/claimSending(_:lease:on:)``) lasts this long unless its
    /// holder renews it, every ``claimRenewal`` while its calls run: a crashed holder blocks the round this long at most.
    static let sendingLease = Duration.seconds(15)
    static let claimRenewal = Duration.seconds(5)
    /// How long the calls for one round may take before they are cancelled.
    static let sendingTimeLimit = Duration.seconds(45)

    /// Records the round's intent, then gets its document to GetAccept — one caller at a time per round, across
    /// replicas and retries; an outage is thrown (the message is retried).
    private func send(_ approved: ContractApproved) async throws -> Sending {
        let started = now()
        let round = try await client.withConnection { connection in
            try await ledger.openRound(
                contractId: approved.contractId, method: approved.snapshot.signatureMethod ?? .email, now: started,
                expiresAt: started.addingTimeInterval(expiry.timeInterval), on: connection)
        }
        guard round.state == .intended, let claims = try await claim(round) else { return .nothingToSend }
        let renewal = Task { await keepClaim(round) }
        defer { renewal.cancel() }
        let result = try await withTimeLimit(Self.sendingTimeLimit) {
            await sendOnce(round, details: approved.snapshot, askFirst: claims > 1)
        }
        guard let result else {
            // The calls were cancelled, but a create may still land at GetAccept: the claim runs out by itself, and
            // whoever claims the round next asks for the document by its external id first.
            throw SigningError(.unavailable, "GetAccept did not answer within \(Self.sendingTimeLimit)")
        }
        switch result {
        case .success(let sent): return .sent(round, sent.document, mayHaveTwin: sent.mayHaveTwin)
        case .failure(let error) where error.code == .unavailable:
            renewal.cancel()
            try await client.withConnection { try await ledger.releaseSending(round, on: $0) }
            throw error
        case .failure(let error): return .refused(round, error)
        }
    }

    /// Renews the round's claim until cancelled; a renewal that fails is tried again at the next turn.
    private func keepClaim(_ round: SigningRound) async {
        while true {
            try? await Task.sleep(for: Self.claimRenewal)
            if Task.isCancelled { return }
            _ = try? await client.withConnection { try await ledger.claimSending(round, lease: Self.sendingLease, renewing: true, on: $0) }
        }
    }

    /// Waits for the round's claim while another caller holds it: the how-many-th claim of the round once claimed,
    /// nil when the round left `intended` meanwhile (the other caller sent it).
    private func claim(_ round: SigningRound) async throws -> Int? {
        let deadline = ContinuousClock.now + Self.sendingTimeLimit + Self.sendingLease
        while true {
            let (claims, current) = try await client.withConnection { connection in
                let claims = try await ledger.claimSending(round, lease: Self.sendingLease, on: connection)
                return (claims, claims != nil ? round : try await ledger.round(contractId: round.contractId, round: round.round, on: connection))
            }
            if let claims { return claims }
            guard current?.state == .intended else { return nil }
            guard ContinuousClock.now < deadline else {
                throw SigningError(.unavailable, "round \(round.round) is still claimed by another caller")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// The round's document at GetAccept: found by our external id when an earlier attempt got that far, else sent.
    /// `askFirst`: whether an earlier caller may have called GetAccept for the round (the round's first claim knows
    /// that nobody did, and saves the look-up: one call fewer for every contract signed).
    private func sendOnce(_ round: SigningRound, details: ContractDetails, askFirst: Bool) async -> Result<SentDocument, SigningError> {
        do {
            if askFirst, let existing = try await provider.document(externalId: round.externalId) {
                return .success(SentDocument(existing, mayHaveTwin: true))
            }
            let sent = try await provider.send(Self.request(for: round, details: details))
            // A round claimed before may have had a create land after its caller gave up.
            return .success(SentDocument(sent.document, mayHaveTwin: sent.mayHaveTwin || askFirst))
        } catch {
            return .failure(error)
        }
    }

    /// Recalls every document of the round at GetAccept but the one the round holds: a create that landed after its
    /// caller gave up. Counted; a failure is left to the next status check.
    func recallExtras(of round: SigningRound, keeping documentId: String) async {
        do {
            for extra in try await provider.documents(externalId: round.externalId) where extra.id != documentId && extra.status == .pending {
                try await provider.recall(documentId: extra.id)
                Counter(label: "avtal_signing_extra_documents_recalled_total").increment()
                logger.warning(
                    "a second document of one signing round was recalled",
                    metadata: ["avtal.contract.id": "\(round.contractId)", "avtal.round": "\(round.round)", "avtal.document.id": "\(extra.id)"])
            }
        } catch {
            logger.warning(
                "the documents of a signing round could not be listed or recalled; the next status check tries again",
                metadata: ["avtal.contract.id": "\(round.contractId)", "avtal.error": "\(error)"])
        }
    }

    /// The request for a round: the contract's document to its customer, or for a business to its signer.
    static func request(for round: SigningRound, details: ContractDetails) -> SigningRequest {
        let customer = details.customer
        let signer: SigningRequest.Recipient =
            if let person = details.signer {
                .init(
                    firstName: person.firstName, lastName: person.lastName, email: person.email, mobile: person.mobile,
                    companyName: customer.companyName)
            } else {
                .init(
                    firstName: customer.firstName ?? customer.companyName ?? "", lastName: customer.lastName ?? "", email: customer.email,
                    mobile: customer.phone)
            }
        let id = round.contractId.uuidString.lowercased()
        return SigningRequest(
            externalId: round.externalId, name: ContractDocument.title(contractId: id),
            text: ContractDocument.render(contractId: id, details: details), method: round.method, signer: signer, expiresAt: round.expiresAt)
    }

    // MARK: Webhooks

    func webhook(_ received: SigningWebhookReceived, header: EnvelopeHeader) async throws {
        try await inbox.once(header) { () -> (SigningRound, SigningDocument?)? in
            let round = try await client.withConnection { try await ledger.round(documentId: received.documentId, on: $0) }
            guard let round, round.state == .live else {
                // A webhook that overtook our own commit of the round is caught as the round goes live (`approved`).
                if round == nil { logger.notice("webhook for a document we did not send", metadata: ["avtal.webhook.id": "\(received.webhookId)"]) }
                return nil
            }
            // The source of truth is GetAccept's API, never the webhook's body. Read, and settled, in the contract's trace.
            let document = try await ContractTrace.withSpan("signing webhook read", continuing: round.traceparent) { _ in
                try await provider.document(id: received.documentId)
            }
            return (round, document)
        } record: { found, connection in
            guard let (round, document) = found else { return }
            try await ContractTrace.withSpan("signing webhook settle", continuing: round.traceparent) { span in
                span.attributes["avtal.contract.id"] = round.contractId.uuidString.lowercased()
                try await settle(round, with: document, header: header, on: connection)
            }
        }
    }

    /// Publishes the outcome the document shows, if the round is still live; answers whether it settled.
    @discardableResult
    func settle(
        _ round: SigningRound, with document: SigningDocument?, header: EnvelopeHeader?, on connection: PostgresConnection
    ) async throws
        -> Bool
    {
        guard let document, let documentId = round.documentId else { return false }
        let contractId = round.contractId
        let at = now()
        let event: OutboxRow
        let to: SigningRound.State
        switch document.status {
        case .signed:
            to = .signed
            event = try outbox.row(
                envelope(
                    ContractSigned(contractId: contractId, documentId: documentId, signedAt: document.signedAt ?? at, method: document.method),
                    header, contractId))
        case .rejected:
            to = .rejected
            event = try outbox.row(
                envelope(SigningRejected(contractId: contractId, documentId: documentId, reason: "signing.rejected"), header, contractId))
        case .expired:
            to = .expired
            event = try outbox.row(envelope(SigningExpired(contractId: contractId, documentId: documentId), header, contractId))
        case .pending, .recalled:
            return false
        }
        return try await ledger.move(round, from: [.live], to: to, emitting: event, now: at, on: connection)
    }

    private func envelope<Event: DomainEvent>(_ event: Event, _ header: EnvelopeHeader?, _ contractId: UUID) -> EventEnvelope<Event> {
        if let header { return EventEnvelope(payload: event, causedBy: header, contractId: contractId) }
        return EventEnvelope(payload: event, contractId: contractId, occurredAt: now())
    }

    // MARK: Recall

    func recall(contractId: UUID, header: EnvelopeHeader) async throws {
        try await inbox.once(header) { () -> SigningRound? in
            let round = try await client.withConnection { try await ledger.latestRound(contractId: contractId, on: $0) }
            guard let round, round.state == .live || round.state == .intended else { return nil }
            if let documentId = round.documentId {
                try await provider.recall(documentId: documentId)
            } else if let orphan = try await provider.document(externalId: round.externalId) {
                try await provider.recall(documentId: orphan.id)
            }
            return round
        } record: { recalled, connection in
            guard let recalled else { return }
            _ = try await ledger.move(recalled, from: [.live, .intended], to: .recalled, now: now(), on: connection)
        }
    }
}
