import AvtalDomain
import AvtalSecrets
import Foundation
import Testing

@Suite("Random identifiers and tokens")
struct RandomnessTests {
    /// How often each bit position (most significant bit of the first byte first) is set across `values`.
    static func onesPerBit(_ values: [[UInt8]], bits: Int) -> [Int] {
        var ones = [Int](repeating: 0, count: bits)
        for bytes in values {
            for bit in 0..<bits where bytes[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 { ones[bit] += 1 }
        }
        return ones
    }

    /// A token's bytes: base64url without padding read back.
    static func bytes(ofToken token: String) -> [UInt8]? {
        let standard = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
        return Data(base64Encoded: standard).map { Array($0) }
    }

    @Test("a random UUID is version 4 of RFC 9562's variant, reads back from its text, and 10 000 are all different")
    func uuids() {
        let made = (0..<10_000).map { _ in UUID.random() }
        #expect(Set(made).count == made.count)
        for uuid in made.prefix(1_000) {
            let text = Array(uuid.uuidString.lowercased())
            #expect(text[14] == "4", "the version")
            #expect("89ab".contains(text[19]), "the variant")
            #expect(UUID(uuidString: uuid.uuidString) == uuid)
        }
        // Every other bit is random: across many, each of the 122 is sometimes set and sometimes not.
        let ones = Self.onesPerBit(made.map { uuid in withUnsafeBytes(of: uuid.uuid) { Array($0) } }, bits: 128)
        let fixed = Set([48, 49, 50, 51, 64, 65])
        #expect((0..<128).filter { !fixed.contains($0) }.allSatisfy { (4_000...6_000).contains(ones[$0]) }, "\(ones)")
        #expect(ones[48] == 0 && ones[49] == made.count && ones[50] == 0 && ones[51] == 0, "0100: version 4")
        #expect(ones[64] == made.count && ones[65] == 0, "10: the variant")
    }

    @Test("a secret token is 43 characters of base64url from 32 random bytes, and 10 000 are all different")
    func tokens() throws {
        let made = (0..<10_000).map { _ in SecretTokens.random() }
        #expect(Set(made).count == made.count)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(made.allSatisfy { $0.count == 43 && $0.allSatisfy(alphabet.contains) })
        let decoded = made.prefix(2_000).compactMap(Self.bytes(ofToken:))
        #expect(decoded.count == 2_000 && decoded.allSatisfy { $0.count == 32 })
        // Each of the 256 bits is sometimes set and sometimes not.
        let ones = Self.onesPerBit(decoded, bits: 256)
        #expect(ones.allSatisfy { (800...1_200).contains($0) }, "\(ones)")
    }
}
