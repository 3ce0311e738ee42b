import Foundation

/// Random secrets (API keys, session tokens, CSRF tokens) and comparing them without leaking where they differ.
public enum SecretTokens {
    /// 32 random bytes (256 bits) from the system's secure generator, as base64url without padding: 43 characters.
    public static func random() -> String {
        // Four 64-bit words, each one `getrandom(2)`: a byte at a time, as before, cost 32 of them (issue 19).
        var generator = SystemRandomNumberGenerator()
        var words = (generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeBytes(of: &words) { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `given` equals `expected`, in a time that depends only on the lengths. An empty secret never matches.
    public static func equal(_ given: String, _ expected: String) -> Bool {
        let left = Array(given.utf8)
        let right = Array(expected.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0 && !right.isEmpty
    }
}
