import Synchronization

/// A value given once, by whichever of several parties gives it first, and awaited by one caller: the work's result
/// or the watchdog's "too late", in ``withTimeLimit(_:_:)``. Later answers are ignored.
final class FirstAnswer<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case awaited(CheckedContinuation<Value, Never>)
        case given(Value)
    }

    private let state = Mutex<State>(.empty)

    /// Gives the answer, unless one was given before (then this one is dropped).
    func give(_ value: Value) {
        let waiting = state.withLock { state -> CheckedContinuation<Value, Never>? in
            switch state {
            case .given: return nil
            case .empty:
                state = .given(value)
                return nil
            case .awaited(let continuation):
                state = .given(value)
                return continuation
            }
        }
        waiting?.resume(returning: value)
    }

    /// The answer, once given. One caller only.
    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let given = state.withLock { state -> Value? in
                    switch state {
                    case .given(let value): return value
                    case .empty:
                        state = .awaited(continuation)
                        return nil
                    case .awaited: preconditionFailure("FirstAnswer awaited twice")
                    }
                }
                if let given { continuation.resume(returning: given) }
            }
        }
    }
}
