public import AvtalMessaging
public import AvtalPersistence
public import Configuration
public import Logging
public import PostgresNIO

/// The resources a running service hands to its handlers and routes.
public struct ServiceContext: Sendable {
    public let configuration: ServiceConfiguration
    /// The configuration source, for keys of the service's own.
    public let reader: ConfigReader
    /// For the service's own keys whose defaults only local mode may use (addresses of third parties, secrets).
    public let mode: LocalMode
    public let logger: Logger
    public let postgres: PostgresClient
    public let publisher: AMQPPublisher
    public let outbox: Outbox
    public let inbox: Inbox
    public let topology: ServiceTopology
}
