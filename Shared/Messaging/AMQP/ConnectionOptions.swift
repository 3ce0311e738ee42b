/// How to reach the broker: the addresses of its nodes, tried in turn, and the timings of a connection.
public struct ConnectionOptions: Sendable {
    public var addresses: [BrokerAddress]
    /// The heartbeat interval negotiated with the broker; a silent peer is declared dead after two of them.
    public var heartbeatSeconds: Int
    /// How long to wait for the TCP connection, the login and each synchronous request.
    public var timeout: Duration
    /// The first pause before connecting again after a failure; it doubles up to ``maximumBackoff``.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration

    public init(
        addresses: [BrokerAddress],
        heartbeatSeconds: Int = 10,
        timeout: Duration = .seconds(5),
        initialBackoff: Duration = .milliseconds(100),
        maximumBackoff: Duration = .seconds(5)
    ) {
        precondition(!addresses.isEmpty, "at least one broker address is needed")
        self.addresses = addresses
        self.heartbeatSeconds = heartbeatSeconds
        self.timeout = timeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Connects to the first address that answers, starting at `preferred` and going round the list.
    func connect(preferred: inout Int) throws(AMQPError) -> AMQPConnection {
        var failures: [String] = []
        for offset in 0..<addresses.count {
            let index = (preferred + offset) % addresses.count
            do {
                let connection = try AMQPConnection(address: addresses[index], heartbeatSeconds: heartbeatSeconds, timeout: timeout)
                preferred = index
                return connection
            } catch {
                failures.append(error.message)
            }
        }
        throw AMQPError(.connectionFailed, failures.joined(separator: "; "))
    }
}
