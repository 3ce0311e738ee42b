import Foundation
import Synchronization

@testable import AvtalMessaging

/// Administrative access to the test broker: queue depths and clean-up, over a short-lived connection.
enum TestBroker {
    static func messageCount(_ queue: String, options: ConnectionOptions = TestEnvironment.broker) async throws -> UInt32 {
        try await withConnection(options) { try $0.declareQueue(queue, arguments: [:], passive: true) }
    }

    /// Deletes the queues and exchange a test declared.
    static func delete(_ topology: ServiceTopology, options: ConnectionOptions = TestEnvironment.broker) async {
        _ = try? await withConnection(options) { connection in
            for queue in topology.queues { try? connection.deleteQueue(queue.name) }
            try? connection.deleteExchange(topology.exchange)
        }
    }

    static func withConnection<T: Sendable>(
        _ options: ConnectionOptions,
        _ body: @escaping @Sendable (AMQPConnection) throws -> T
    ) async throws -> T {
        let thread = ConnectionThread()
        let result: Result<T, any Error>
        do {
            result = .success(
                try await thread.run {
                    var preferred = 0
                    let connection = try options.connect(preferred: &preferred)
                    defer { connection.close() }
                    return try body(connection)
                }
            )
        } catch {
            result = .failure(error)
        }
        await thread.shutdown()
        return try result.get()
    }
}

/// Collects what a test consumer received, safely across tasks.
final class Received<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}
