/// A failure talking to the broker.
///
/// The code says what kind of failure it is, so callers can decide whether to retry; the description says what
/// happened in words an operator understands.
public struct AMQPError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case connectionFailed, connectionLost, serverClosedChannel, serverClosedConnection
            case nacked, unroutable, confirmTimeout, protocolError, stopped
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No broker in the address list could be reached or logged in to.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke while in use.
        public static let connectionLost = Code(.connectionLost)
        /// The broker refused an operation and closed the channel (for example a queue declared with other arguments).
        public static let serverClosedChannel = Code(.serverClosedChannel)
        /// The broker closed the connection.
        public static let serverClosedConnection = Code(.serverClosedConnection)
        /// The broker refused to take responsibility for a published message.
        public static let nacked = Code(.nacked)
        /// A mandatory message matched no queue and was returned.
        public static let unroutable = Code(.unroutable)
        /// No confirm arrived in time; the message may or may not have been taken.
        public static let confirmTimeout = Code(.confirmTimeout)
        /// The broker sent something this client did not expect.
        public static let protocolError = Code(.protocolError)
        /// The client was closed.
        public static let stopped = Code(.stopped)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    /// The AMQP reply code of a server exception (404 not found, 406 precondition failed, …), when there is one.
    public let replyCode: UInt16?

    public init(_ code: Code, _ message: String, replyCode: UInt16? = nil) {
        self.code = code
        self.message = message
        self.replyCode = replyCode
    }

    public var description: String {
        "AMQP \(code): \(message)" + (replyCode.map { " (reply code \($0))" } ?? "")
    }

    /// Whether the broker refused this one message (nack, no route) rather than being unreachable: trying the same
    /// message again at once will not help, while other messages may still go through.
    public var isRefusalOfMessage: Bool {
        code == .nacked || code == .unroutable
    }
}
