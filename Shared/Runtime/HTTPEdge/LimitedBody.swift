import Hummingbird
import NIOCore

/// A request body that ends in `413` once more than `maximum` bytes have come: whoever reads it — a route collecting
/// it, a generated handler, a form decoder — never holds more than that, whatever the client sends.
struct LimitedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let maximum: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let maximum: Int
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            received += buffer.readableBytes
            guard received <= maximum else { throw HTTPError(.contentTooLarge) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), maximum: maximum)
    }
}
