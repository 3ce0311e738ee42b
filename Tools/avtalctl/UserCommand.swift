import ArgumentParser
import AvtalBackOffice
import AvtalPersistence
import AvtalRuntime
import Configuration
import Foundation
import Logging
import PostgresNIO

/// `avtalctl user create`: back-office users (sellers, business sellers, MKA) in the services' database.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create back-office users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (or reset its name, role and password). The password is read from standard input, or from --password-env.")

        @Option(help: "Lower-case letters, digits, '.', '_' or '-'.") var username: String
        @Option(help: "The name shown in the back office.") var name: String
        @Option(help: "seller, business-seller or mka.") var role: String
        @Option(help: "Read the password from this environment variable instead of standard input.") var passwordEnv: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be seller, business-seller, mka or ops") }
        }

        func run() async throws {
            let password: String? =
                if let passwordEnv { ProcessInfo.processInfo.environment[passwordEnv] } else { readLine(strippingNewline: true) }
            guard let password, Passwords.isAcceptable(password) else { throw ValidationError("the password must be 12 to 128 characters") }
            let user = User(username: username, displayName: name, role: Role(rawValue: role)!)
            try await withDatabase(schema: .backOffice) { client, logger in
                try await client.withConnection { try await UserDirectory(logger: logger).upsert(user, password: password, on: $0) }
            }
            print("user \(username) (\(role)) is ready")
        }
    }
}
