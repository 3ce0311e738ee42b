import Glibc

/// A pipe that wakes a thread blocked in poll(2) from any other thread: the consumer's thread waits on the broker's
/// socket and this pipe's read end together, so a handler's acknowledgement is sent the moment it is settled instead
/// of at the thread's next timed wake-up.
///
/// ``ring()`` writes one byte, ``drain()`` reads every byte written so far; both ends never block. A ring while the
/// pipe is full (64 KiB of rings not yet drained) is dropped, which loses nothing: the reader is then already due.
final class WakePipe: Sendable {
    /// The read end, for poll(2).
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    /// Nil if the process has no descriptors left.
    init?() {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return nil }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    func ring() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    func drain() {
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &bytes, { read(readDescriptor, $0.baseAddress, $0.count) }) > 0 {}
    }
}
