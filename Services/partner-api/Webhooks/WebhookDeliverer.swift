import AsyncHTTPClient
import AvtalDomain
public import AvtalPersistence
public import Foundation
public import Logging
import Metrics
import NIOCore
import NIOHTTP1
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// Sends the queued status webhooks (``StatusNotices``) to the partners' addresses, signed, at least once each.
///
/// Rows are claimed with `FOR UPDATE SKIP LOCKED` and leased (their next attempt moved past the longest a send can
/// take), so replicas share the work and a replica that dies mid-send leaves its rows to be sent again. A contract's
/// deliveries go out in sequence: one waits while an earlier one of the same contract is still to be made. A `2xx`
/// within ``timeout`` is delivered; anything else is tried again on ``DeliverySchedule``'s backoff until it gives up
/// (counted, and listed by `avtalctl partner webhook deliveries`). Each partner has at most ``perPartner`` sends in
/// flight, so a slow or failing endpoint holds up only its own deliveries.
public final class WebhookDeliverer: Service {
    public struct Configuration: Sendable {
        public var schedule: DeliverySchedule
        /// How long a partner's endpoint has to answer.
        public var timeout: Duration = .seconds(10)
        /// Sends in flight at once, in all.
        public var concurrency = 32
        /// Sends in flight at once to one partner.
        public var perPartner = 4
        /// How often to look for due rows when nothing rang.
        public var pollInterval: Duration = .seconds(1)

        public init(schedule: DeliverySchedule) {
            self.schedule = schedule
        }

        /// A claimed row is someone else's again after this: longer than any send can take.
        var lease: Duration { timeout * 3 }
    }

    private struct Claimed: Sendable {
        var id: UUID
        var partner: String
        var contractId: UUID
        var sequence: Int
        var body: String
        var retryUntil: Date
        var attempts: Int
    }

    private let client: PostgresClient
    private let registry: WebhookRegistry
    private let configuration: Configuration
    private let doorbell: Doorbell
    private let logger: Logger
    /// Sends in flight, per partner.
    private let inFlight = Mutex<[String: Int]>([:])

    /// `doorbell`: rung by whatever queues a delivery in this process, so it goes out at once rather than at the
    /// next poll.
    public init(client: PostgresClient, registry: WebhookRegistry, configuration: Configuration, doorbell: Doorbell, logger: Logger) {
        self.client = client
        self.registry = registry
        self.configuration = configuration
        self.doorbell = doorbell
        self.logger = logger
    }

    /// Its own HTTP client, made when it runs (a client must be shut down, so none exists before `run` or after).
    private func makeHTTPClient() -> HTTPClient {
        var http = HTTPClient.Configuration()
        // A partner's redirect is not followed: it could point anywhere, our own network included.
        http.redirectConfiguration = .disallow
        http.timeout = .init(connect: .seconds(5), read: Self.timeAmount(configuration.timeout))
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.perPartner)
        // No spans of the client's own (they would record the partner's full URL, and start traces of nothing).
        http.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    public func run() async throws {
        let http = makeHTTPClient()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                var failureDelay = Duration.milliseconds(100)
                while !Task.isCancelled {
                    do {
                        let rows = try await self.claim()
                        failureDelay = .milliseconds(100)
                        for row in rows {
                            group.addTask { await self.deliver(row, with: http) }
                        }
                        if rows.isEmpty || self.free == 0 { await self.doorbell.wait(upTo: self.configuration.pollInterval) }
                    } catch {
                        self.logger.warning("webhook deliveries could not be claimed", metadata: ["avtal.error": "\(String(reflecting: error))"])
                        try? await Task.sleep(for: failureDelay)
                        failureDelay = min(failureDelay * 2, .seconds(5))
                    }
                }
            }
        }
        try? await http.shutdown()
    }

    private var free: Int { configuration.concurrency - inFlight.withLock { $0.values.reduce(0, +) } }

    /// Leases the due rows there is room for, and counts them in flight.
    private func claim() async throws -> [Claimed] {
        let room = free
        guard room > 0 else { return [] }
        let busy = inFlight.withLock { $0.filter { $0.value >= configuration.perPartner }.map(\.key) }
        let now = Date()
        let leaseUntil = now.addingTimeInterval(configuration.lease.timeInterval)
        let rows = try await client.withConnection { connection in
            try await connection.query(
                """
                WITH candidates AS (
                    SELECT d.id, row_number() OVER (PARTITION BY d.partner_id ORDER BY d.next_attempt_at, d.sequence) AS rank
                    FROM partner_api.webhook_deliveries d
                    WHERE d.next_attempt_at <= \(now) AND NOT (d.partner_id = ANY(\(busy)))
                      AND NOT EXISTS (
                          SELECT 1 FROM partner_api.webhook_deliveries earlier
                          WHERE earlier.contract_id = d.contract_id AND earlier.sequence < d.sequence AND earlier.next_attempt_at IS NOT NULL)
                ), claimed AS (
                    SELECT d.id FROM partner_api.webhook_deliveries d JOIN candidates c ON c.id = d.id
                    WHERE c.rank <= \(configuration.perPartner) ORDER BY d.next_attempt_at LIMIT \(room) FOR UPDATE OF d SKIP LOCKED
                )
                UPDATE partner_api.webhook_deliveries d SET next_attempt_at = \(leaseUntil), attempts = d.attempts + 1
                FROM claimed WHERE d.id = claimed.id
                RETURNING d.id, d.partner_id, d.contract_id, d.sequence, d.body, d.retry_until, d.attempts
                """, logger: logger)
        }
        var claimed: [Claimed] = []
        for try await (id, partner, contractId, sequence, body, retryUntil, attempts) in rows.decode(
            (UUID, String, UUID, Int, String, Date, Int).self)
        {
            claimed.append(
                Claimed(id: id, partner: partner, contractId: contractId, sequence: sequence, body: body, retryUntil: retryUntil, attempts: attempts))
        }
        inFlight.withLock { counts in for row in claimed { counts[row.partner, default: 0] += 1 } }
        return claimed
    }

    private enum Outcome {
        case delivered(status: Int)
        case failed(status: Int?, error: String)
    }

    private func deliver(_ row: Claimed, with http: HTTPClient) async {
        defer {
            inFlight.withLock { counts in
                counts[row.partner, default: 1] -= 1
                if counts[row.partner] == 0 { counts[row.partner] = nil }
            }
            doorbell.ring()
        }
        let started = ContinuousClock.now
        let outcome: Outcome
        do {
            guard let target = try await client.withConnection({ try await registry.target(of: row.partner, now: Date(), on: $0) }) else {
                // The webhook was removed since (its rows were given up on then); nothing to send to.
                return
            }
            outcome = await send(row, to: target.url, secrets: target.secrets, with: http)
        } catch {
            // Our own database failed us, not the partner: the lease runs out and the row is claimed again, with
            // nothing counted against it but the attempt.
            logger.warning("webhook delivery not made", metadata: ["avtal.delivery": "\(row.id)", "avtal.error": "\(String(reflecting: error))"])
            return
        }
        let elapsed = (ContinuousClock.now - started).components
        Timer(label: "avtal_webhook_send_duration_seconds", preferredDisplayUnit: .seconds)
            .recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        do {
            try await record(outcome, of: row)
        } catch {
            logger.warning(
                "webhook delivery outcome not recorded; it will be sent again", metadata: ["avtal.delivery": "\(row.id)", "avtal.error": "\(error)"])
        }
    }

    private func send(_ row: Claimed, to url: String, secrets: [WebhookSecret], with http: HTTPClient) async -> Outcome {
        let body = Array(row.body.utf8)
        let headers = WebhookHeaders(
            id: WebhookDelivery.messageId(row.id), timestamp: Int(Date().timeIntervalSince1970), body: body, secrets: secrets)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Avtalsflode-Webhooks/1")
        request.headers.add(name: "webhook-id", value: headers.id)
        request.headers.add(name: "webhook-timestamp", value: String(headers.timestamp))
        request.headers.add(name: "webhook-signature", value: headers.signature)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: Self.timeAmount(configuration.timeout))
            // What the partner answers is not read beyond its status; a body is drained, up to a limit.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? .delivered(status: status) : .failed(status: status, error: "HTTP \(status)")
        } catch {
            return .failed(status: nil, error: Self.describe(error))
        }
    }

    private func record(_ outcome: Outcome, of row: Claimed) async throws {
        let now = Date()
        switch outcome {
        case .delivered(let status):
            try await client.query(
                """
                UPDATE partner_api.webhook_deliveries SET delivered_at = \(now), next_attempt_at = NULL, last_status = \(status), last_error = NULL
                WHERE id = \(row.id)
                """, logger: logger)
            Counter(label: "avtal_webhook_deliveries_total", dimensions: [("outcome", "delivered")]).increment()
            logger.info(
                "webhook delivered",
                metadata: ["avtal.contract.id": "\(row.contractId)", "avtal.partner": "\(row.partner)", "avtal.sequence": "\(row.sequence)"])
        case .failed(let status, let error):
            // Tried again later, or, past the 24 hours, given up on.
            let retryAt: Date? =
                switch configuration.schedule.next(afterAttempt: row.attempts, deadline: row.retryUntil, now: now, random: Double.random(in: 0..<1)) {
                case .retry(let at): at
                case .giveUp: nil
                }
            let failedAt: Date? = retryAt == nil ? now : nil
            try await client.query(
                """
                UPDATE partner_api.webhook_deliveries SET next_attempt_at = \(retryAt), failed_at = \(failedAt), last_status = \(status),
                    last_error = \(error)
                WHERE id = \(row.id)
                """, logger: logger)
            Counter(label: "avtal_webhook_deliveries_total", dimensions: [("outcome", retryAt == nil ? "failed" : "retried")]).increment()
            logger.log(
                level: retryAt == nil ? .warning : .notice, retryAt == nil ? "webhook delivery given up on" : "webhook not delivered, will retry",
                metadata: [
                    "avtal.partner": "\(row.partner)", "avtal.delivery": "\(row.id)", "avtal.attempts": "\(row.attempts)", "avtal.error": "\(error)",
                ])
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .milliseconds(Int64(duration.timeInterval * 1000))
    }

    /// An error as the operator may read it: what kind of failure, never the partner's address or a body.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout: "no answer in time"
        case let error as HTTPClientError where error == .connectTimeout: "could not connect in time"
        case let error as HTTPClientError: "HTTP client: \(error)"
        default: "connection failed: \(type(of: error))"
        }
    }
}
