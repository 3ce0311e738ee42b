import AvtalDomain
import Foundation
import Testing

@testable import PartnerAPI

@Suite("Partner API: webhook pieces")
struct WebhookPiecesTests {
    @Test("a signature is the Standard Webhooks specification's own example")
    func specificationVector() throws {
        // From the specification's test vectors (github.com/standard-webhooks/standard-webhooks, "Signature scheme").
        let secret = try #require(WebhookSecret(encoded: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Array(#"{"test": 2432232314}"#.utf8)
        #expect(
            secret.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        // One byte of the body, the id or the time changed: another signature.
        #expect(
            secret.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_331, body: body)
                != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("secrets: whsec_ and 32 random bytes; two during a rotation sign side by side; nothing else reads as one")
    func secrets() throws {
        let one = WebhookSecret.generate()
        let two = WebhookSecret.generate()
        #expect(one != two && one.bytes.count == 32 && one.encoded.hasPrefix("whsec_"))
        #expect(WebhookSecret(encoded: one.encoded) == one)
        for bad in ["", "whsec_", "whsec_!!!", "sk_" + one.encoded.dropFirst(6), "whsec_" + Data(count: 8).base64EncodedString()] {
            #expect(WebhookSecret(encoded: bad) == nil, "\(bad)")
        }
        let headers = WebhookHeaders(id: "msg_1", timestamp: 1, body: [1, 2], secrets: [one, two])
        let parts = headers.signature.split(separator: " ").map(String.init)
        #expect(parts == [one.signature(id: "msg_1", timestamp: 1, body: [1, 2]), two.signature(id: "msg_1", timestamp: 1, body: [1, 2])])
    }

    @Test("sealed secrets open only with the key that sealed them")
    func seal() throws {
        let seal = try #require(SecretSeal(base64Key: SecretSeal.localKey))
        let other = try #require(SecretSeal(base64Key: Data(repeating: 7, count: 32).base64EncodedString()))
        let secret = WebhookSecret.generate()
        let sealed = try seal.seal(secret)
        #expect(!sealed.isEmpty && Array(sealed) != secret.bytes)
        #expect(try seal.open(sealed) == secret)
        #expect(throws: (any Error).self) { try other.open(sealed) }
        #expect(SecretSeal(base64Key: "c2hvcnQ=") == nil, "not 32 bytes")
        #expect(SecretSeal(base64Key: "not base64!") == nil)
    }

    @Test(
        "webhook addresses outside local mode: https, public, no credentials or fragment",
        arguments: [
            ("https://partner.example.com/hooks/avtal", nil),
            ("https://93.184.215.14:8443/x", nil),
            ("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x", nil),
            ("http://partner.example.com/x", "not_https"),
            ("ftp://partner.example.com/x", "not_https"),
            ("partner.example.com/x", "not_a_url"),
            ("https:///x", "not_a_url"),
            ("https://user:pw@partner.example.com/x", "credentials_in_url"),
            ("https://partner.example.com/x#frag", "fragment_in_url"),
            ("https://localhost/x", "internal_address"),
            ("https://api.localhost/x", "internal_address"),
            ("https://webbavtal/x", "internal_address"),
            ("https://partner-api.avtal.svc.cluster.local/x", "internal_address"),
            ("https://127.0.0.1/x", "internal_address"),
            ("https://10.1.2.3/x", "internal_address"),
            ("https://172.20.0.1/x", "internal_address"),
            ("https://192.168.1.1/x", "internal_address"),
            ("https://169.254.169.254/latest/meta-data", "internal_address"),
            ("https://100.64.0.1/x", "internal_address"),
            ("https://0.0.0.0/x", "internal_address"),
            ("https://[::1]/x", "internal_address"),
            ("https://[fd00::1]/x", "internal_address"),
            ("https://[fe80::1]/x", "internal_address"),
            ("https://[::ffff:10.0.0.1]/x", "internal_address"),
            ("https://" + String(repeating: "a", count: 2040) + ".example/x", "too_long"),
        ] as [(String, String?)])
    func endpoints(url: String, problem: String?) {
        switch WebhookEndpoint.validated(url, allowInternal: false) {
        case .success: #expect(problem == nil, "\(url) was accepted")
        case .failure(let found): #expect(found.code == problem, "\(url): \(found)")
        }
    }

    @Test("local mode takes the sandbox's http://127.0.0.1 receiver, and still no credentials")
    func localEndpoints() {
        #expect((try? WebhookEndpoint.validated("http://127.0.0.1:8090/partner-receiver/alpha/events", allowInternal: true).get()) != nil)
        #expect(throws: WebhookEndpoint.Problem.credentials) { try WebhookEndpoint.validated("http://a:b@127.0.0.1/x", allowInternal: true).get() }
    }

    @Test("retries back off exponentially with jitter up to the longest delay, and give up at the deadline, never past it")
    func schedule() {
        let schedule = DeliverySchedule(firstDelay: .seconds(5), longestDelay: .seconds(3600), giveUpAfter: .seconds(86_400))
        let start = Date(timeIntervalSince1970: 1_000_000)
        let deadline = schedule.deadline(from: start)
        #expect(deadline == start.addingTimeInterval(86_400))
        func delay(_ attempt: Int, random: Double, at now: Date = start) -> TimeInterval? {
            guard case .retry(let at) = schedule.next(afterAttempt: attempt, deadline: deadline, now: now, random: random) else { return nil }
            return at.timeIntervalSince(now)
        }
        #expect(delay(1, random: 0.999_999)?.rounded() == 5)
        #expect(delay(1, random: 0) == 2.5, "half of the delay at the least")
        #expect(delay(2, random: 1) == 10)
        #expect(delay(5, random: 1) == 80)
        #expect(delay(20, random: 1) == 3600, "capped at the longest delay")
        let nearEnd = deadline.addingTimeInterval(-60)
        #expect(delay(20, random: 1, at: nearEnd) == 60, "the last retry is at the deadline")
        #expect(schedule.next(afterAttempt: 21, deadline: deadline, now: deadline, random: 0.5) == .giveUp)
        // The whole 24 hours: how many attempts a partner down all day gets.
        var now = start
        var attempts = 1
        while case .retry(let at) = schedule.next(afterAttempt: attempts, deadline: deadline, now: now, random: 0.5) {
            now = at
            attempts += 1
        }
        #expect((25...45).contains(attempts), "\(attempts) attempts in 24 hours")
    }

    @Test("the event's body carries the status, the sequence and the partner's reference, and nothing else")
    func body() throws {
        let id = UUID()
        let event = StatusEvent(
            contractId: id, externalReference: "order-1", status: .underReview, sequence: 2, changedAt: Date(timeIntervalSince1970: 1_800_000_000.5))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try event.body().utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["type", "timestamp", "data"])
        #expect(object["type"] as? String == "contract.status_changed")
        let data = try #require(object["data"] as? [String: Any])
        #expect(Set(data.keys) == ["contractId", "externalReference", "status", "sequence", "changedAt"])
        #expect(data["contractId"] as? String == id.uuidString.lowercased())
        #expect(data["status"] as? String == "under_review" && data["sequence"] as? Int == 2)
        #expect(data["changedAt"] as? String == "2027-01-15T08:00:00.500Z")
    }
}

@Suite("Status event body around its number")
struct StatusEventSplitTests {
    @Test("the two pieces around the sequence make the body of every number, whatever the partner's reference says")
    func aroundSequence() throws {
        for reference in ["order-1", #"x","sequence":0,"status":"signed"#, "sequence\":0", "ÅÄÖ \u{1F600} \\\"sequence\\\":0"] {
            let event = StatusEvent(
                contractId: UUID(), externalReference: reference, status: .signed, sequence: 0, changedAt: Date(timeIntervalSince1970: 1_800_000_000))
            let (before, after) = try event.bodyAroundSequence()
            for number in [2, 9, 10, 1234] {
                var numbered = event
                numbered.data.sequence = number
                #expect(before + String(number) + after == (try numbered.body()), "\(reference) \(number)")
            }
        }
    }
}
