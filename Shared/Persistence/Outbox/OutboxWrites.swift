import Synchronization

/// A unit of work that may write outbox rows — a message's handling in the inbox, a request, a sweep's round — and
/// rings their schemas' ``OutboxSignal`` when it ends, after its transactions committed.
///
/// ``Outbox`` notes each row it writes in the innermost scope of the running task. A unit of work that wrote no row
/// rings nothing, so a relay runs no round for it.
public final class OutboxWrites: Sendable {
    @TaskLocal static var current: OutboxWrites?

    private let written = Mutex<[SchemaName: OutboxSignal]>([:])
    private static let scopesRequired = Atomic<Bool>(false)

    /// From now on a row written outside any scope while a relay of this process listens is a programming error that
    /// debug builds trap: every service process says so as it starts (`ServiceRunner`), so the tests, which run the
    /// services' debug builds, find a path that would leave its events to the polling. (The tests' own process writes
    /// rows as it likes.)
    public static func requireScopes() { scopesRequired.store(true, ordering: .relaxed) }

    static var areRequired: Bool { scopesRequired.load(ordering: .relaxed) }

    private init() {}

    /// Runs `work` in a scope of its own; when it returns or throws (a transaction may have committed before a later
    /// step failed), rings the signal of every schema it wrote a row to.
    public static func announcing<Result>(_ work: () async throws -> Result) async rethrows -> Result {
        let scope = OutboxWrites()
        defer { scope.ring() }
        return try await $current.withValue(scope) { try await work() }
    }

    /// Notes a row written to `schema`'s outbox in the current scope; false when there is none.
    static func note(_ schema: SchemaName, signal: OutboxSignal) -> Bool {
        guard let scope = current else { return false }
        scope.written.withLock { $0[schema] = signal }
        return true
    }

    private func ring() {
        for signal in written.withLock({ Array($0.values) }) { signal.ring() }
    }
}
