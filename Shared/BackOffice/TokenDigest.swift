import Crypto
import Foundation
import NIOCore

/// What the back office stores of a secret token (a session's, a prefill's): its SHA-256, never the token.
enum TokenDigest {
    static func of(_ token: String) -> ByteBuffer { ByteBuffer(bytes: SHA256.hash(data: Data(token.utf8))) }
}
