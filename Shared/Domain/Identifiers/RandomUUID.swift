public import Foundation

extension UUID {
    /// A random (version 4) UUID, as `UUID()` makes, from the system's secure generator in two `getrandom(2)` calls.
    /// Foundation's `UUID()` on Linux opens `/dev/urandom`, reads it and closes it again for each one: three system
    /// calls and a path look-up, several times for every contract (issue 19, counted with `perf`).
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var words = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &words) { bytes in
            bytes[6] = bytes[6] & 0x0F | 0x40  // the version: 4, random
            bytes[8] = bytes[8] & 0x3F | 0x80  // the variant: RFC 9562's
            return UUID(uuid: bytes.load(as: uuid_t.self))
        }
    }
}
