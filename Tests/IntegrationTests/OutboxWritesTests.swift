import AvtalDomain
import Foundation
import Testing

@testable import AvtalPersistence

/// How a unit of work's outbox rows ring their relay: once per schema written, after the work, and only then; and the
/// relay's doorbell, which the ring wakes.
@Suite("Outbox writes")
struct OutboxWritesTests {
    struct Failed: Error {}

    func row(_ outbox: Outbox) throws {
        _ = try outbox.row(EventEnvelope(payload: TestPing(sequence: 1), contractId: UUID()))
    }

    @Test("a scope rings each schema it wrote to once, when it ends, also when it throws; one that wrote nothing rings nothing")
    func ringsAfterTheWork() async throws {
        let first = Outbox(schema: "scope_first")
        let second = Outbox(schema: "scope_second")
        let firstSignal = OutboxSignal.signal(for: "scope_first")
        let secondSignal = OutboxSignal.signal(for: "scope_second")
        let before = (firstSignal.count, secondSignal.count)

        try await OutboxWrites.announcing {
            try row(first)
            try row(first)
            try row(second)
            #expect(firstSignal.count == before.0, "nothing rings before the work ends (its transaction may not have committed)")
        }
        #expect(firstSignal.count == before.0 + 1 && secondSignal.count == before.1 + 1)

        await OutboxWrites.announcing {}
        #expect(firstSignal.count == before.0 + 1, "work that wrote no row rings nothing")

        await #expect(throws: Failed.self) {
            try await OutboxWrites.announcing {
                try row(first)
                throw Failed()
            }
        }
        #expect(firstSignal.count == before.0 + 2, "a step may have committed before a later one failed: it rings")

        // A scope inside another rings for its own rows as it ends; the outer one only for rows of its own.
        try await OutboxWrites.announcing {
            try await OutboxWrites.announcing { try row(second) }
            #expect(secondSignal.count == before.1 + 2)
        }
        #expect(secondSignal.count == before.1 + 2)
        #expect(OutboxSignal.signal(for: "scope_first") === firstSignal, "one signal per schema and process")
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

    @Test("a signal rings every doorbell attached, and none once detached; it is heard only while one is attached")
    func signalRingsAttachedDoorbells() async {
        let signal = OutboxSignal.signal(for: "scope_doorbells")
        let doorbell = Doorbell()
        #expect(!signal.isHeard)
        signal.attach(doorbell)
        #expect(signal.isHeard)
        signal.ring()
        #expect(await doorbell.wait(upTo: .seconds(30)))
        signal.detach(doorbell)
        #expect(!signal.isHeard)
        signal.ring()
        #expect(await doorbell.wait(upTo: .milliseconds(50)) == false, "a detached doorbell was rung")
    }
}
