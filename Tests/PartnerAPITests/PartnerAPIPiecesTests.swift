import AvtalDomain
import AvtalRuntime
import Foundation
import Hummingbird
import Testing

@testable import PartnerAPI

@Suite("Partner API pieces")
struct PartnerAPIUnitTests {
    @Test(
        "only `Bearer avtal_…` is a key",
        arguments: [
            ("Bearer avtal_abc", "avtal_abc"), ("bearer avtal_abc", "avtal_abc"), ("Bearer  avtal_abc ", "avtal_abc"),
            ("Basic avtal_abc", nil), ("Bearer other", nil), ("avtal_abc", nil), ("", nil),
        ] as [(String, String?)])
    func bearer(header: String, key: String?) {
        #expect(PartnerAPIMiddleware<AvtalRequestContext>.bearerKey(header) == key)
    }

    @Test("keys are long, random, and stored as a 32-byte digest")
    func keys() {
        let one = APIKey.generate()
        let two = APIKey.generate()
        #expect(one != two)
        #expect(one.value.hasPrefix("avtal_") && one.value.count == 6 + 43)
        #expect(one.digest.count == 32)
        #expect(one.digest == APIKey(value: one.value).digest)
        #expect(one.prefix.count == 12)
    }

    @Test("an Idempotency-Key is 1 to 255 printable ASCII characters")
    func idempotencyKeys() {
        typealias Middleware = PartnerAPIMiddleware<AvtalRequestContext>
        #expect(Middleware.isValidIdempotencyKey("order-41_retry.2"))
        #expect(Middleware.isValidIdempotencyKey(String(repeating: "k", count: 255)))
        #expect(!Middleware.isValidIdempotencyKey(""))
        #expect(!Middleware.isValidIdempotencyKey(String(repeating: "k", count: 256)))
        #expect(!Middleware.isValidIdempotencyKey("a\u{0}b"), "a NUL byte")
        #expect(!Middleware.isValidIdempotencyKey("nyckel-å"), "not ASCII")
    }

    @Test("a path answers its declared methods only")
    func allowedMethods() {
        typealias Middleware = PartnerAPIMiddleware<AvtalRequestContext>
        #expect(Middleware.allowedMethods("/v1/contracts") == "POST")
        #expect(Middleware.allowedMethods("/v1/contracts/abc") == "GET")
        #expect(Middleware.allowedMethods("/v1/products") == "GET")
        #expect(Middleware.allowedMethods("/v1/webhook") == "GET, PUT, DELETE")
        #expect(Middleware.allowedMethods("/v1/webhook/secret") == "POST")
        #expect(Middleware.allowedMethods("/v1/webhook/other") == nil)
        #expect(Middleware.allowedMethods("/v1/nothing") == nil)
    }

    @Test("the decoder's stopping point becomes a field path with a code")
    func decodingIssues() throws {
        struct Facility: Decodable { var priceArea: Int }
        struct Body: Decodable { var facilities: [Facility] }
        do {
            _ = try JSONDecoder().decode(Body.self, from: Data(#"{"facilities":[{"priceArea":1},{"priceArea":"SE3"}]}"#.utf8))
            Issue.record("decoding should fail")
        } catch let error as DecodingError {
            let issue = PartnerAPIMiddleware<AvtalRequestContext>.issue(error)
            #expect(issue.field == "facilities[1].priceArea")
            #expect(issue.code == "type")
        }
        do {
            _ = try JSONDecoder().decode(Body.self, from: Data("{}".utf8))
            Issue.record("decoding should fail")
        } catch let error as DecodingError {
            #expect(PartnerAPIMiddleware<AvtalRequestContext>.issue(error).field == "facilities")
            #expect(PartnerAPIMiddleware<AvtalRequestContext>.issue(error).code == "required")
        }
    }
}
