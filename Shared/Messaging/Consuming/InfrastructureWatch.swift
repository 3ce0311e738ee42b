/// Our own infrastructure a service's handlers depend on (its database), watched from outside the handlers.
///
/// While it does not answer, a handler's failure is not the message's fault: the ``EventConsumer`` holds the message
/// — no attempt spent, nothing parked — until it answers again, instead of sending it through the delay tiers.
public protocol InfrastructureWatch: Sendable {
    /// The watch's last answer, kept as state: cheap enough to ask in a loop.
    var isAnswering: Bool { get }
    /// Asks afresh, within a few seconds: whether it answers right now. Called after a handler failed.
    func answersNow() async -> Bool
}
