/// What waits in a set of queues and who consumes them, looked at without changing anything (a passive declare per
/// queue over one short-lived connection): the flow board's queue table. A queue that does not exist (its service
/// never started) is reported as missing, not as an error.
public struct QueueInspector: Sendable {
    public struct Figures: Sendable, Equatable {
        public var messages: Int
        public var consumers: Int

        public init(messages: Int, consumers: Int) {
            self.messages = messages
            self.consumers = consumers
        }
    }

    private let connection: ConnectionOptions

    public init(connection: ConnectionOptions) {
        self.connection = connection
    }

    /// Each queue's figures, nil for one that does not exist; throws only when the broker cannot be reached.
    public func figures(of queues: [String]) async throws(AMQPError) -> [String: Figures?] {
        let thread = ConnectionThread()
        let result: Result<[String: Figures?], AMQPError>
        do {
            result = try await thread.run { [connection] in
                Result { () throws(AMQPError) -> [String: Figures?] in
                    var preferred = 0
                    var amqp = try connection.connect(preferred: &preferred)
                    defer { amqp.close() }
                    var found: [String: Figures?] = [:]
                    for queue in queues {
                        do {
                            let (messages, consumers) = try amqp.queueFigures(queue)
                            found[queue] = Figures(messages: Int(messages), consumers: Int(consumers))
                        } catch {
                            // A missing queue closes the channel: go on over a new connection.
                            found[queue] = .some(nil)
                            amqp.close()
                            amqp = try connection.connect(preferred: &preferred)
                        }
                    }
                    return found
                }
            }
        } catch {
            result = .failure(AMQPError(.stopped, "connection thread stopped"))
        }
        await thread.shutdown()
        return try result.get()
    }
}
