import AvtalBackOffice
import AvtalDomain
import AvtalMessaging
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The flow board's figures: the contracts per state and their longest wait, the last hour's steps, each consuming
/// service's work and parking queues, and the parked messages with their reasons (never a body: no personal data).
/// Read at most every ``freshFor`` however many people watch; and the replay of parked messages, the same path as
/// `avtalctl parked replay`, recorded as the person's action.
final class FlowBoard: Sendable {
    /// The services that consume, whose queues the board shows.
    static let services = ["webbavtal", "kontroll", "signering", "gordis-export", "partner-api"]
    static let freshFor: Duration = .seconds(2)
    static let parkedShown = 20

    struct QueueRow: Sendable, Equatable {
        var service: String
        /// nil: the service's queues do not exist (it never started here).
        var work: QueueInspector.Figures?
        var parked: Int?
    }

    struct ParkedRow: Sendable, Equatable {
        var service: String
        var entry: ParkingLot.Entry
    }

    struct Snapshot: Sendable {
        var at: Date
        var states: [FlowFigures.StateFigure]
        var steps: [FlowFigures.StepFigure]
        var queues: [QueueRow]
        var parked: [ParkedRow]
        /// Why the broker's side is missing, when it is.
        var brokerProblem: String?
    }

    private let client: PostgresClient
    private let broker: ConnectionOptions
    private let queuePrefix: String
    private let logger: Logger
    private let cached = Mutex<(snapshot: Snapshot, at: ContinuousClock.Instant)?>(nil)

    init(client: PostgresClient, broker: ConnectionOptions, queuePrefix: String, logger: Logger) {
        self.client = client
        self.broker = broker
        self.queuePrefix = queuePrefix
        self.logger = logger
    }

    func topology(of service: String) -> ServiceTopology {
        ServiceTopology(service: queuePrefix + service, exchange: "", routingKeys: [])
    }

    func snapshot() async throws -> Snapshot {
        if let hit = cached.withLock({ $0 }), ContinuousClock.now - hit.at < Self.freshFor { return hit.snapshot }
        let states = try await FlowFigures.states(client: client, logger: logger)
        let steps = try await FlowFigures.steps(within: .seconds(3600), client: client, logger: logger)
        var snapshot = Snapshot(at: Date(), states: states, steps: steps, queues: [], parked: [], brokerProblem: nil)
        do {
            let names = Self.services.flatMap { [topology(of: $0).workQueue, topology(of: $0).parkingQueue] }
            let figures = try await QueueInspector(connection: broker).figures(of: names)
            for service in Self.services {
                let topology = topology(of: service)
                let parked = (figures[topology.parkingQueue] ?? nil)?.messages
                snapshot.queues.append(QueueRow(service: service, work: figures[topology.workQueue] ?? nil, parked: parked))
                if let parked, parked > 0 {
                    let entries = try await ParkingLot(connection: broker, topology: topology).list(limit: Self.parkedShown)
                    snapshot.parked += entries.map { ParkedRow(service: service, entry: $0) }
                }
            }
        } catch {
            snapshot.brokerProblem = "RabbitMQ svarar inte (\(error.code))"
            logger.warning("flow board: the broker could not be read", metadata: ["avtal.error": "\(error)"])
        }
        cached.withLock { $0 = (snapshot, .now) }
        return snapshot
    }

    enum ReplayOutcome: Equatable {
        case replayed(Int)
        case unknownService
    }

    /// Sends `service`'s parked messages back to its work queue — the one named by `messageId`, or all — and records
    /// who did it (`backoffice.operator_actions`, the ids replayed).
    func replay(service: String, messageId: String?, by user: User) async throws -> ReplayOutcome {
        guard Self.services.contains(service) else { return .unknownService }
        let replayed = try await ParkingLot(connection: broker, topology: topology(of: service)).replay(messageIds: messageId.map { [$0] })
        let ids = replayed.map(\.messageId)
        let detail = try String(decoding: JSONSerialization.data(withJSONObject: ["service": service, "messageIds": ids]), as: UTF8.self)
        try await client.query(
            """
            INSERT INTO backoffice.operator_actions (username, action, detail) VALUES (\(user.username), 'parked.replay', \(detail)::jsonb)
            """, logger: logger)
        logger.notice(
            "parked messages replayed from the flow board",
            metadata: ["avtal.user": "\(user.username)", "avtal.service": "\(service)", "avtal.count": "\(ids.count)"])
        cached.withLock { $0 = nil }
        return .replayed(ids.count)
    }
}
