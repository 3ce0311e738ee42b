import Testing

@testable import AvtalPersistence

/// How a relay tells a notification it needs a round for from one for rows it has taken (needs nothing).
@Suite("Outbox notices")
struct OutboxNoticesTests {
    @Test("a round is needed for an unnamed notification or a row not taken; not for rows taken, nor for none")
    func needRound() {
        var taken = RecentlyTaken(capacity: 8)
        taken.insert([3, 4, 5])
        #expect(!OutboxNotices.Pending(rows: [3, 5]).needRound(besides: taken))
        #expect(OutboxNotices.Pending(rows: [5, 6]).needRound(besides: taken))
        #expect(OutboxNotices.Pending(rows: [4], unnamed: true).needRound(besides: taken))
        #expect(!OutboxNotices.Pending().needRound(besides: taken))
    }

    @Test("notifications' payloads: a row id is kept, anything else counts as unnamed; taking forgets them")
    func record() {
        let notices = OutboxNotices()
        notices.record(payload: "42")
        notices.record(payload: "43")
        #expect(notices.take() == OutboxNotices.Pending(rows: [42, 43]))
        notices.record(payload: "")
        notices.record(payload: "4x")
        #expect(notices.take() == OutboxNotices.Pending(rows: [], unnamed: true))
        #expect(notices.take() == OutboxNotices.Pending())
    }

    @Test("the recently taken rows keep the newest, forget the oldest beyond their capacity, and count an id once")
    func recentlyTaken() {
        var taken = RecentlyTaken(capacity: 3)
        taken.insert([1, 2, 2, 3])
        #expect([1, 2, 3].allSatisfy(taken.contains))
        taken.insert([4, 5])
        #expect(!taken.contains(1) && !taken.contains(2))
        #expect([3, 4, 5].allSatisfy(taken.contains))
        taken.insert([6, 7, 8, 9])
        #expect([7, 8, 9].allSatisfy(taken.contains) && !taken.contains(6) && !taken.contains(5))
    }

    @Test("the doorbell says whether it was rung: a ring before the wait is kept; a timeout is not a ring")
    func doorbell() async {
        let doorbell = Doorbell()
        doorbell.ring()
        #expect(await doorbell.wait(upTo: .seconds(30)))
        #expect(await doorbell.wait(upTo: .milliseconds(20)) == false)
        Task {
            try await Task.sleep(for: .milliseconds(20)); doorbell.ring()
        }
        #expect(await doorbell.wait(upTo: .seconds(30)))
    }
}
