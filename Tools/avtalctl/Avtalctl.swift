// avtalctl: the operator's command for what the services cannot settle by themselves.
import ArgumentParser
import AvtalDomain
import AvtalMessaging
import Foundation

@main
struct Avtalctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avtalctl",
        abstract: "Operate Avtalsflöde.",
        subcommands: [Parked.self, OutboxCommand.self, PartnerCommand.self, UserCommand.self, DemoCommand.self, LifecycleDiagramCommand.self]
    )
}

/// Where the broker is, read from the same environment as the services, overridable by flags.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Comma-separated broker URLs (default: AMQP_URLS, else the local stack).")
    var amqpUrls = ProcessInfo.processInfo.environment["AMQP_URLS"] ?? "amqp://guest:guest@127.0.0.1:25672"

    @Option(help: "Prefix of the queue names (default: AMQP_QUEUE_PREFIX).")
    var queuePrefix = ProcessInfo.processInfo.environment["AMQP_QUEUE_PREFIX"] ?? ""

    @Option(help: "The service whose parked messages to handle, e.g. kontroll.")
    var service: String

    func parkingLot() throws -> ParkingLot {
        guard let addresses = BrokerAddress.list(amqpUrls) else {
            throw ValidationError("--amqp-urls must be a comma-separated list of amqp:// URLs")
        }
        let topology = ServiceTopology(service: queuePrefix + service, exchange: "", routingKeys: [])
        return ParkingLot(connection: ConnectionOptions(addresses: addresses), topology: topology)
    }
}

struct Parked: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and replay a service's parked messages.",
        subcommands: [List.self, Replay.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List parked messages, oldest first (bodies are never shown).")

        @OptionGroup var broker: BrokerOptions
        @Option(help: "At most this many.") var limit = 100

        func run() async throws {
            let entries = try await broker.parkingLot().list(limit: limit)
            print(Row.header)
            for entry in entries { print(Row.line(entry)) }
            print("\(entries.count) parked")
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send parked messages back to the service's work queue with a fresh attempt count."
        )

        @OptionGroup var broker: BrokerOptions
        @Option(name: .customLong("message-id"), help: "Replay only this message (repeatable). Without it, all are replayed.")
        var messageIds: [String] = []

        func run() async throws {
            let replayed = try await broker.parkingLot().replay(messageIds: messageIds.isEmpty ? nil : Set(messageIds))
            for entry in replayed { print(Row.line(entry)) }
            print("\(replayed.count) replayed")
        }
    }
}

enum Row {
    static let header = "message-id\ttype\tattempts\tparked-at\treason"

    static func line(_ entry: ParkingLot.Entry) -> String {
        [entry.messageId, entry.type ?? "-", "\(entry.attempts)", entry.parkedAt ?? "-", entry.reason].joined(separator: "\t")
    }
}

struct LifecycleDiagramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle-diagram",
        abstract: "Print the contract lifecycle as a Mermaid diagram, drawn from the state machine (for docs/lifecycle.md)."
    )

    func run() {
        print(LifecycleDiagram.mermaid(), terminator: "")
    }
}
