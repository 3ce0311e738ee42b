/// Runs `work` in a task of its own and waits for it at most `limit` (and up to a second more: ``Deadlines``): its
/// result, or nil when the limit passed first. The work is then cancelled and left to end by itself — a call that never
/// answers (seen: a database query sent as PostgreSQL restarted) must not hold its message, and with it the contract's
/// later events, forever. Cancelling the caller cancels the work and throws `CancellationError` at once.
///
/// The deadline is watched by the process's one ``Deadlines``, not by a timer of each call's own.
public func withTimeLimit<T: Sendable>(
    _ limit: Duration, deadlines: Deadlines = .shared, _ work: @escaping @Sendable () async throws -> T
) async throws -> T? {
    let answer = FirstAnswer<Result<T, any Error>?>()
    let worker = Task {
        do {
            answer.give(.success(try await work()))
        } catch {
            answer.give(.failure(error))
        }
    }
    let ticket = deadlines.watch(until: .now + limit) { answer.give(nil) }
    let outcome = await withTaskCancellationHandler {
        await answer.value
    } onCancel: {
        answer.give(nil)
    }
    deadlines.withdraw(ticket)
    guard let outcome else {
        worker.cancel()
        if Task.isCancelled { throw CancellationError() }
        return nil
    }
    return try outcome.get()
}
