import Synchronization

/// What the outbox trigger's notifications said since the relay last looked. Each inserting statement's notification
/// names the newest row it wrote (`MessagingMigrations.namedNotifications`), so the relay can tell a notification for
/// rows it has already taken, which needs no round, from one that does; one without a row id (a trigger from before
/// that migration) always does.
final class OutboxNotices: Sendable {
    struct Pending: Sendable, Equatable {
        var rows: Set<Int64> = []
        var unnamed = false

        /// Whether a round could find something these notifications announced: an unnamed one, or a row the relay
        /// has not taken. Rows of one statement commit together and a round takes due rows in id order, so the
        /// statement's newest row taken means all of them were.
        func needRound(besides taken: RecentlyTaken) -> Bool {
            unnamed || rows.contains { !taken.contains($0) }
        }
    }

    private let pending = Mutex(Pending())

    init() {}

    /// Keeps one notification's payload: a row id, or anything else as unnamed.
    func record(payload: String) {
        let row = Int64(payload)
        pending.withLock { pending in
            if let row { pending.rows.insert(row) } else { pending.unnamed = true }
        }
    }

    /// What was recorded since the last call, forgotten here.
    func take() -> Pending {
        pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
    }
}
