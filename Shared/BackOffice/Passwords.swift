import HummingbirdBcrypt
import NIOPosix

/// bcrypt (hummingbird-auth) off the event loops: a hash costs tens to hundreds of milliseconds by design.
public enum Passwords {
    public static let defaultCost: UInt8 = 12

    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A password a person may choose: 12 to 128 characters.
    public static func isAcceptable(_ password: String) -> Bool { (12...128).contains(password.count) }
}
