import AvtalThirdParty
import Testing

@Suite("Third-party call outcomes")
struct ThirdPartyOutcomeTests {
    @Test(
        "a status is an answer, a refusal or an error, the same for the JSON clients and GetAccept's",
        arguments: [
            (200, ThirdPartyMetrics.Outcome.ok), (201, .ok), (204, .ok), (404, .ok), (400, .rejected), (401, .rejected), (409, .rejected),
            (422, .rejected), (429, .error), (500, .error), (503, .error),
        ])
    func outcome(status: Int, expected: ThirdPartyMetrics.Outcome) {
        #expect(ThirdPartyMetrics.Outcome(status: status) == expected)
    }
}
