/// One thing a service needs before it can do its work (the database, the broker, its migrations), checked on
/// every `GET /ready`.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let isReady: @Sendable () async -> Bool

    public init(name: String, isReady: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.isReady = isReady
    }

    /// Runs all checks at once, each given at most `timeout`; returns the names of those not ready.
    static func failing(_ checks: [ReadinessCheck], timeout: Duration) async -> [String] {
        await withTaskGroup(of: (String, Bool).self) { group in
            for check in checks {
                group.addTask {
                    await withTaskGroup(of: Bool?.self) { race in
                        race.addTask { await check.isReady() }
                        race.addTask {
                            try? await Task.sleep(for: timeout)
                            return nil
                        }
                        let first = await race.next() ?? nil
                        race.cancelAll()
                        return (check.name, first ?? false)
                    }
                }
            }
            var failing: [String] = []
            for await (name, ready) in group where !ready { failing.append(name) }
            return failing.sorted()
        }
    }
}
