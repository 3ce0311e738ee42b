public import Logging
public import ServiceLifecycle
import Synchronization

/// Publishes persistent, mandatory messages with publisher confirms over its own connection.
///
/// A message counts as sent only when the broker confirmed it (`basic.ack`); a nack, a return (no queue matched), a
/// lost connection or a confirm that does not come in time is reported as a failure for that message, never as a
/// success. Batches are pipelined: all messages are sent, then the confirms are collected.
///
/// The connection is opened on first use, re-opened after any failure (going round the broker addresses), and the
/// publisher's ``Topology`` is declared on every new connection. Run it as a `Service` to keep heartbeats flowing on
/// an idle connection and to close it on shutdown.
public final class AMQPPublisher: Sendable {
    private struct State {
        var connection: AMQPConnection?
        var preferredAddress = 0
    }

    private let options: ConnectionOptions
    private let topology: Topology
    private let confirmTimeout: Duration
    private let thread = ConnectionThread()
    private let state = ThreadConfined(State())
    private let connected = Atomic<Bool>(false)
    private let logger: Logger

    public init(options: ConnectionOptions, topology: Topology = Topology(), confirmTimeout: Duration = .seconds(10), logger: Logger) {
        self.options = options
        self.topology = topology
        self.confirmTimeout = confirmTimeout
        self.logger = logger
    }

    /// Publishes `messages` and returns, for each, whether the broker confirmed it.
    public func publish(_ messages: [OutboundMessage]) async -> [Result<Void, AMQPError>] {
        guard !messages.isEmpty else { return [] }
        do {
            return try await thread.run { [self] in publishOnThread(messages) }
        } catch {
            return messages.map { _ in .failure(AMQPError(.stopped, "publisher is closed")) }
        }
    }

    /// Publishes one message; throws unless the broker confirmed it.
    public func publish(_ message: OutboundMessage) async throws(AMQPError) {
        try await publish([message])[0].get()
    }

    /// Connects (and declares the topology) if not connected; throws when no broker answers. Cancelled, it stops
    /// declaring at the next request (``AMQPError/Code/stopped``), as the consumer does: a service stopped during its
    /// bootstrap must end within its cancellation bound, however slowly a busy broker declares quorum queues (seen: a
    /// kontroll whose HTTP port was taken crashed after 10 s, still declaring).
    public func connect() async throws(AMQPError) {
        let cancelled = CancellationSeen()
        let result: Result<Void, AMQPError>
        do {
            result = try await withTaskCancellationHandler {
                try await thread.run { [self] in Result { () throws(AMQPError) in _ = try connection(unlessStopped: cancelled.isSet) } }
            } onCancel: {
                cancelled.set()
            }
        } catch {
            throw AMQPError(.stopped, "publisher is closed")
        }
        try result.get()
    }

    /// Whether the publisher holds a working connection, as its thread last saw it: a read of state, for readiness
    /// probes, which must never queue work on the publisher's thread. While it is not connected, the heartbeat loop
    /// tries to connect again.
    public var isConnected: Bool { connected.load(ordering: .relaxed) }

    /// Closes the connection and the thread. The publisher cannot be used afterwards.
    public func close() async {
        _ = try? await thread.run { [self] in
            state.value.connection?.close()
            state.value.connection = nil
        }
        connected.store(false, ordering: .relaxed)
        await thread.shutdown()
    }

    // MARK: On the connection's thread

    /// The working connection, or a new one with the topology declared — asking `stopped` before each declaration.
    private func connection(unlessStopped stopped: () -> Bool = { false }) throws(AMQPError) -> AMQPConnection {
        if let connection = state.value.connection, !connection.isBroken { return connection }
        state.value.connection?.close()
        state.value.connection = nil
        connected.store(false, ordering: .relaxed)
        let connection = try options.connect(preferred: &state.value.preferredAddress)
        do {
            try connection.enableConfirms()
            try topology.declare(on: connection, unlessStopped: stopped)
        } catch {
            connection.close()
            throw error
        }
        logger.debug("publisher connected", metadata: ["avtal.broker": "\(connection.address)"])
        state.value.connection = connection
        connected.store(true, ordering: .relaxed)
        return connection
    }

    private func publishOnThread(_ messages: [OutboundMessage]) -> [Result<Void, AMQPError>] {
        var outcomes = [Result<Void, AMQPError>?](repeating: nil, count: messages.count)
        let connection: AMQPConnection
        do {
            connection = try self.connection()
        } catch {
            return messages.map { _ in .failure(error) }
        }
        var pendingByTag: [UInt64: Int] = [:]
        for (index, message) in messages.enumerated() {
            do {
                pendingByTag[try connection.publish(message)] = index
            } catch {
                for rest in index..<messages.count { outcomes[rest] = .failure(error) }
                break
            }
        }
        collectConfirms(on: connection, pendingByTag: &pendingByTag, messages: messages, outcomes: &outcomes)
        // The batch's confirms are read: their frames' memory goes back, or a connection that lives for weeks grows.
        connection.releaseBuffers()
        if connection.isBroken {
            connection.close()
            state.value.connection = nil
            connected.store(false, ordering: .relaxed)
        }
        return outcomes.map { $0 ?? .failure(AMQPError(.connectionLost, "no confirm")) }
    }

    private func collectConfirms(
        on connection: AMQPConnection,
        pendingByTag: inout [UInt64: Int],
        messages: [OutboundMessage],
        outcomes: inout [Result<Void, AMQPError>?]
    ) {
        let deadline = ContinuousClock.now.advanced(by: confirmTimeout)
        func settle(_ tag: UInt64, multiple: Bool, as outcome: Result<Void, AMQPError>) {
            let tags = multiple ? pendingByTag.keys.filter { $0 <= tag } : [tag]
            for tag in tags {
                guard let index = pendingByTag.removeValue(forKey: tag) else { continue }
                // A returned message is acked after its return: keep the failure the return recorded.
                if outcomes[index] == nil { outcomes[index] = outcome }
            }
        }
        while !pendingByTag.isEmpty {
            let remaining = ContinuousClock.now.duration(to: deadline)
            do throws(AMQPError) {
                guard remaining > .zero, let event = try connection.nextConfirmEvent(timeout: min(remaining, .seconds(1))) else {
                    if remaining <= .zero { throw AMQPError(.confirmTimeout, "no confirm within \(confirmTimeout)") }
                    continue
                }
                switch event {
                case .ack(let tag, let multiple):
                    settle(tag, multiple: multiple, as: .success(()))
                case .nack(let tag, let multiple):
                    settle(tag, multiple: multiple, as: .failure(AMQPError(.nacked, "the broker refused the message")))
                case .returned(let messageId, let replyText):
                    let index = pendingByTag.values.sorted().first { messages[$0].messageId == messageId && outcomes[$0] == nil }
                    if let index {
                        let message = messages[index]
                        outcomes[index] = .failure(
                            AMQPError(.unroutable, "\(replyText): no queue for '\(message.routingKey)' on '\(message.exchange)'")
                        )
                    }
                }
            } catch {
                for index in pendingByTag.values { outcomes[index] = outcomes[index] ?? .failure(error) }
                pendingByTag.removeAll()
                if error.code == .confirmTimeout {
                    // Confirms still owed on this channel would be mistaken for the next batch's: start afresh.
                    connection.close()
                }
            }
        }
    }

    /// Keeps a connection's heartbeats going; without a working one, tries to open one (so that readiness, which
    /// only reads ``isConnected``, follows the broker's return without a publish).
    private func serviceHeartbeats() async {
        _ = try? await thread.run { [self] in
            guard let connection = state.value.connection, !connection.isBroken else {
                _ = try? self.connection()
                return
            }
            do {
                try connection.serviceHeartbeats()
            } catch {
                connected.store(!connection.isBroken, ordering: .relaxed)
            }
        }
    }
}

extension AMQPPublisher: Service {
    /// Keeps the idle connection's heartbeats going until graceful shutdown, then closes the publisher.
    public func run() async throws {
        let interval = Duration.seconds(max(1, options.heartbeatSeconds)) / 2
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await self.serviceHeartbeats()
            }
        }
        await close()
    }
}

/// Whether the task that asked for a connection was cancelled: set by its cancellation handler, read on the
/// connection's thread between declarations.
private final class CancellationSeen: Sendable {
    private let seen = Atomic<Bool>(false)

    func set() { seen.store(true, ordering: .relaxed) }

    func isSet() -> Bool { seen.load(ordering: .relaxed) }
}
