import ArgumentParser
import AvtalPersistence
import Foundation

/// `avtalctl outbox failed|retry --schema S`: the outbox rows a service's relay gave up on after the broker refused
/// them too often (docs/operations.md), and sending them again once the cause is fixed.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Outbox rows the broker kept refusing.", subcommands: [Failed.self, Retry.self])

    struct SchemaOption: ParsableArguments {
        @Option(help: "The service's schema, e.g. webbavtal, kontroll, signering, gordis_export.") var schema: String

        func name() throws -> SchemaName {
            guard let name = SchemaName(schema) else { throw ValidationError("--schema must be a schema name such as webbavtal") }
            return name
        }
    }

    struct Failed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rows given up on, oldest first (never their bodies).")
        @OptionGroup var options: SchemaOption

        func run() async throws {
            let schema = try options.name()
            let rows = try await withDatabase(schema: nil) { client, logger in
                try await FailedOutboxRows(schema: schema, logger: logger).list(client: client)
            }
            for row in rows {
                print(
                    "\(row.id)  \(row.messageId.uuidString.lowercased())  \(row.type)  \(row.routingKey)  \(row.attempts) attempts  \(row.lastError ?? "")"
                )
            }
            print("\(rows.count) failed")
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand failed rows back to the relay: all, or one by --id.")
        @OptionGroup var options: SchemaOption
        @Option(help: "Only this row.") var id: Int64?

        func run() async throws {
            let schema = try options.name()
            let count = try await withDatabase(schema: nil) { client, logger in
                try await FailedOutboxRows(schema: schema, logger: logger).retry(id: id, client: client)
            }
            print("\(count) handed back to the relay")
        }
    }
}
