/// Runs `work` in a task of its own and waits for it at most `limit`: its result, or nil when the limit passed
/// first. The work is then cancelled and left to end by itself — a call that never answers (seen: a database query
/// sent as PostgreSQL restarted) must not hold its message, and with it the contract's later events, forever.
/// Cancelling the caller cancels the work and throws `CancellationError` at once.
public func withTimeLimit<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T? {
    let (outcomes, sink) = AsyncStream<Result<T, any Error>?>.makeStream()
    let worker = Task {
        do {
            sink.yield(.success(try await work()))
        } catch {
            sink.yield(.failure(error))
        }
        sink.finish()
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        sink.yield(nil)
        sink.finish()
    }
    var first = outcomes.makeAsyncIterator()
    let outcome = await first.next() ?? nil
    timer.cancel()
    guard let outcome else {
        worker.cancel()
        if Task.isCancelled { throw CancellationError() }
        return nil
    }
    return try outcome.get()
}
