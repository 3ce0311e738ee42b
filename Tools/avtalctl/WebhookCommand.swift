import ArgumentParser
import AvtalDomain
import AvtalRuntime
import Configuration
import Foundation
import PartnerAPI
import PostgresNIO

/// `avtalctl partner webhook …`: a partner's status webhook — register or move it, rotate its secret, remove it — and
/// its deliveries: list them and send again those given up on. The same rules as the partner's own `/v1/webhook`.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "A partner's status webhook and its deliveries.",
        subcommands: [Set.self, Show.self, Rotate.self, Remove.self, Deliveries.self, Resend.self]
    )

    /// The webhook settings from the services' environment (WEBHOOK_SECRET_KEY, AVTAL_ENVIRONMENT, …), refused as a
    /// service would refuse them.
    static func settings() throws -> WebhookSettings {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider())
        let mode = LocalMode(reader: reader)
        let settings = WebhookSettings(reader: reader, mode: mode)
        if let refusal = mode.refusal { throw ValidationError(refusal) }
        return settings
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a partner's webhook (printing its new signing secret, once) or move it to another address.")

        @Option(help: "The partner id.") var id: String
        @Option(help: "The https:// address to send status events to.") var url: String

        func run() async throws {
            let settings = try WebhookCommand.settings()
            let endpoint: WebhookEndpoint
            switch WebhookEndpoint.validated(url, allowInternal: settings.allowsInternalAddresses) {
            case .failure(let problem): throw ValidationError("--url: \(problem)")
            case .success(let valid): endpoint = valid
            }
            let outcome = try await withDatabase { client, logger in
                try await client.withTransaction(logger: logger) { connection in
                    try await WebhookRegistry(seal: settings.seal, logger: logger).set(endpoint, for: id, now: Date(), on: connection)
                }
            }
            switch outcome {
            case .created(let secret, _):
                print(secret.encoded)
                FileHandle.standardError.write(Data("webhook registered; the secret above is shown only now\n".utf8))
            case .updated:
                print("webhook moved to \(endpoint.url.absoluteString); the secret is unchanged")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a partner's webhook (never its secret).")

        @Option(help: "The partner id.") var id: String

        func run() async throws {
            let settings = try WebhookCommand.settings()
            let registration = try await withDatabase { client, logger in
                try await client.withConnection { try await WebhookRegistry(seal: settings.seal, logger: logger).registration(of: id, on: $0) }
            }
            guard let registration else { throw ValidationError("\(id) has no webhook") }
            print("url\t\(registration.url)")
            print("updated\t\(Timestamp.string(registration.updatedAt))")
            if let until = registration.previousSecretValidUntil { print("previous secret signs until\t\(Timestamp.string(until))") }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a partner's webhook a new secret (printed once); the old one signs beside it for 24 hours.")

        @Option(help: "The partner id.") var id: String

        func run() async throws {
            let settings = try WebhookCommand.settings()
            let rotated = try await withDatabase { client, logger in
                try await client.withTransaction(logger: logger) {
                    try await WebhookRegistry(seal: settings.seal, logger: logger).rotate(for: id, now: Date(), on: $0)
                }
            }
            guard let (secret, until) = rotated else { throw ValidationError("\(id) has no webhook") }
            print(secret.encoded)
            FileHandle.standardError.write(Data("the previous secret signs too until \(Timestamp.string(until))\n".utf8))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a partner's webhook; deliveries not yet made are given up on.")

        @Option(help: "The partner id.") var id: String

        func run() async throws {
            let settings = try WebhookCommand.settings()
            let removed = try await withDatabase { client, logger in
                try await client.withTransaction(logger: logger) {
                    try await WebhookRegistry(seal: settings.seal, logger: logger).remove(for: id, now: Date(), on: $0)
                }
            }
            guard removed else { throw ValidationError("\(id) has no webhook") }
            print("webhook removed")
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a partner's webhook deliveries, newest first (never their bodies).")

        @Option(help: "The partner id.") var id: String
        @Flag(help: "Only those given up on.") var failed = false
        @Option(help: "At most this many.") var limit = 100

        func run() async throws {
            let settings = try WebhookCommand.settings()
            let deliveries = try await withDatabase { client, logger in
                try await client.withConnection {
                    try await WebhookRegistry(seal: settings.seal, logger: logger).deliveries(of: id, failedOnly: failed, limit: limit, on: $0)
                }
            }
            print("delivery\tcontract\tsequence\tstate\tattempts\tcreated\tlast-status\tlast-error")
            for delivery in deliveries {
                let fields = [
                    delivery.id.uuidString.lowercased(), delivery.contractId.uuidString.lowercased(), "\(delivery.sequence)", delivery.state,
                    "\(delivery.attempts)", Timestamp.string(delivery.createdAt), delivery.lastStatus.map(String.init) ?? "-",
                    delivery.lastError ?? "-",
                ]
                print(fields.joined(separator: "\t"))
            }
            print("\(deliveries.count) deliveries")
        }
    }

    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send deliveries that were given up on again, with a new 24 hours of retries: one (--delivery) or all of the partner's.")

        @Option(help: "The partner id.") var id: String
        @Option(help: "Only this delivery (as listed by deliveries).") var delivery: String?

        func run() async throws {
            let settings = try WebhookCommand.settings()
            let only = delivery.map { UUID(uuidString: $0) }
            if only == .some(nil) { throw ValidationError("--delivery must be a delivery's id") }
            let count = try await withDatabase { client, logger in
                try await client.withTransaction(logger: logger) {
                    try await WebhookRegistry(seal: settings.seal, logger: logger).resend(
                        of: id, delivery: only ?? nil, schedule: settings.delivery.schedule, now: Date(), on: $0)
                }
            }
            print("\(count) to be sent again")
        }
    }
}
