import Synchronization

/// How a process's writers tell its outbox relays that rows they wrote have committed: one per schema and process
/// (``signal(for:)``), rung after the commit (``OutboxWrites``), counting its rings.
///
/// It replaces a trigger's `NOTIFY`: every transaction that notifies takes one lock, PostgreSQL's, for the whole
/// cluster (`async.c`, `PreCommit_Notify`), and holds it through its commit's WAL flush, so the commits of all the
/// services' writes queued behind one another instead of flushing together. A ring reaches only the relays of the
/// process that wrote; the rows of a process without a relay listening (a tool) are found by another process's
/// polling, or woken by an explicit `NOTIFY <schema>_outbox` (`avtalctl outbox retry` sends one).
public final class OutboxSignal: Sendable {
    private let rings = Atomic<UInt64>(0)
    private let doorbells = Mutex<[ObjectIdentifier: Doorbell]>([:])

    private static let signals = Mutex<[SchemaName: OutboxSignal]>([:])

    /// The signal of `schema` in this process, the same one every time.
    public static func signal(for schema: SchemaName) -> OutboxSignal {
        signals.withLock { signals in
            if let signal = signals[schema] { return signal }
            let signal = OutboxSignal()
            signals[schema] = signal
            return signal
        }
    }

    private init() {}

    /// How often it was rung so far. A relay reads it just before its round looks for rows: every ring counted by
    /// then followed a commit its look sees.
    var count: UInt64 { rings.load(ordering: .acquiring) }

    /// Whether a relay listens: a row written then outside any ``OutboxWrites`` scope would wait for the polling.
    var isHeard: Bool { doorbells.withLock { !$0.isEmpty } }

    /// Rings every doorbell attached; called after the rows' commit.
    func ring() {
        rings.add(1, ordering: .releasing)
        for doorbell in doorbells.withLock({ Array($0.values) }) { doorbell.ring() }
    }

    func attach(_ doorbell: Doorbell) {
        doorbells.withLock { $0[ObjectIdentifier(doorbell)] = doorbell }
    }

    func detach(_ doorbell: Doorbell) {
        _ = doorbells.withLock { $0.removeValue(forKey: ObjectIdentifier(doorbell)) }
    }
}
