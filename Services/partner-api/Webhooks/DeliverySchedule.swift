import AvtalDomain
public import Foundation

/// When a webhook delivery that failed is tried again: exponential backoff from `firstDelay`, doubling up to
/// `longestDelay`, each delay drawn between half and all of it (jitter, so that the deliveries a partner's outage held
/// back do not all return at once), until `giveUpAfter` has passed since the delivery was made — then it has failed.
/// Pure; the defaults give about 30 attempts over 24 hours.
public struct DeliverySchedule: Sendable, Equatable {
    public var firstDelay: Duration
    public var longestDelay: Duration
    public var giveUpAfter: Duration

    public init(firstDelay: Duration = .seconds(5), longestDelay: Duration = .seconds(3600), giveUpAfter: Duration = .seconds(86_400)) {
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.giveUpAfter = giveUpAfter
    }

    public enum Next: Equatable, Sendable {
        case retry(at: Date)
        case giveUp
    }

    /// The end of a delivery's retries, when it is made (or sent again) at `start`.
    public func deadline(from start: Date) -> Date {
        start.addingTimeInterval(giveUpAfter.timeInterval)
    }

    /// After attempt number `attempts` (1 for the first) failed at `now`, for a delivery retried until `deadline`.
    /// `random`: a number in 0..<1 (drawn by the caller; fixed in tests).
    public func next(afterAttempt attempts: Int, deadline: Date, now: Date, random: Double) -> Next {
        guard now < deadline else { return .giveUp }
        let doublings = min(max(attempts - 1, 0), 40)
        let full = min(firstDelay.timeInterval * pow(2, Double(doublings)), longestDelay.timeInterval)
        let delay = full * (0.5 + 0.5 * min(max(random, 0), 1))
        // The last retry is made at the deadline at the latest, so the delivery's last chance is never skipped.
        return .retry(at: min(now.addingTimeInterval(delay), deadline))
    }
}
