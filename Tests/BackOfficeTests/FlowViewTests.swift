import AvtalDomain
import AvtalMessaging
import Foundation
import Testing

@testable import Webbavtal

@Suite("Flow board view")
struct FlowViewTests {
    @Test(
        "waits read as people say them",
        arguments: [(0.4, "0 s"), (59, "59 s"), (60, "1 min"), (3_599, "59 min"), (3_660, "1 h 1 min"), (200_000, "2 d 7 h")])
    func durations(seconds: Double, text: String) {
        #expect(FlowView.duration(seconds) == text)
    }

    @Test("a queue with no consumer or with parked messages is marked; a broker problem shows only when there is one")
    func context() throws {
        let parked = ParkingLot.Entry(messageId: "m-1", type: "ContractStored@v1", reason: "no handler", parkedAt: nil, attempts: 3)
        var snapshot = FlowBoard.Snapshot(
            at: Date(), states: [.init(state: .stored, count: 0, oldestSeconds: 0), .init(state: .needsMKA, count: 2, oldestSeconds: 7_200)],
            steps: [.init(from: .stored, to: .approved, count: 5, medianSeconds: 1.2, p95Seconds: 3)],
            queues: [
                .init(service: "kontroll", work: .init(messages: 0, consumers: 2), parked: 1),
                .init(service: "signering", work: .init(messages: 4, consumers: 0), parked: 0),
                .init(service: "webbavtal", work: .init(messages: 0, consumers: 1), parked: 0),
                .init(service: "gordis-export", work: nil, parked: nil),
            ],
            parked: [.init(service: "kontroll", entry: parked)], brokerProblem: nil)
        var context = FlowView.context(snapshot)
        #expect(!context.keys.contains("brokerProblem"))
        let states = try #require(context["states"] as? [[String: Any]])
        #expect(states.map { $0["oldest"] as? String } == ["—", "2 h 0 min"], "an empty state has no wait")
        let queues = try #require(context["queues"] as? [[String: Any]])
        #expect(queues.map { $0["alarm"] as? Bool } == [true, true, false, false])
        #expect(queues[3]["missing"] as? Bool == true)
        #expect(context["throughput"] as? Int == 5)
        let rows = try #require(context["parked"] as? [[String: Any]])
        #expect(rows.first?["reason"] as? String == "no handler" && rows.first?["parkedAt"] as? String == "—")
        snapshot.brokerProblem = "RabbitMQ svarar inte (unreachable)"
        context = FlowView.context(snapshot)
        #expect(context["brokerProblem"] as? String == "RabbitMQ svarar inte (unreachable)")
    }
}
