import AvtalMessaging
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(delays: [.seconds(1), .seconds(10), .seconds(60)])

    @Test(
        "each failure goes one tier further, and the failure after the last tier parks",
        arguments: [
            (0, RetryPolicy.Decision.retry(tier: 0, attempt: 1)),
            (1, .retry(tier: 1, attempt: 2)),
            (2, .retry(tier: 2, attempt: 3)),
            (3, .park),
            (7, .park),
            (-4, .retry(tier: 0, attempt: 1)),
        ]
    )
    func decisions(previousFailures: Int, expected: RetryPolicy.Decision) {
        #expect(policy.decision(previousFailures: previousFailures) == expected)
    }

    @Test("the attempt count is read from our own header, and a missing or foreign value counts as none")
    func previousFailures() {
        #expect(RetryPolicy.previousFailures(in: [:]) == 0)
        #expect(RetryPolicy.previousFailures(in: [RetryPolicy.attemptHeader: .int(2)]) == 2)
        #expect(RetryPolicy.previousFailures(in: [RetryPolicy.attemptHeader: .string("2")]) == 0)
        #expect(RetryPolicy.previousFailures(in: ["x-delivery-count": .int(5)]) == 0)
    }

    @Test("no delays means the first failure parks")
    func noTiers() {
        #expect(RetryPolicy(delays: []).decision(previousFailures: 0) == .park)
    }
}
