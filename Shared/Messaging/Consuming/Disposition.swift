/// What a consumer tells the broker about a delivery once it is done with it.
public enum Disposition: Sendable, Equatable {
    /// Handled (or safely handed on): remove it from the queue.
    case ack
    /// Give it back: to the queue again (`requeue`), or to the queue's dead-letter route.
    case reject(requeue: Bool)
}
