public import Logging
import ServiceLifecycle

/// The loop of every periodic job (webbavtal's sweep, the pruner): wait `interval`, do one round, log a failed round
/// and go on, until graceful shutdown.
public func runPeriodically(
    every interval: Duration, logger: Logger, failure: Logger.Message, _ round: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            do {
                try await round()
            } catch {
                logger.warning(failure, metadata: ["avtal.error": "\(String(reflecting: error))"])
            }
        }
    }
}
