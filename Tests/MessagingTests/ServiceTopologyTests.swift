import AvtalMessaging
import Testing

@Suite("Service topology")
struct ServiceTopologyTests {
    let topology = ServiceTopology(
        service: "kontroll", exchange: "avtal.events", routingKeys: ["contract.stored.standard", "contract.resubmitted"],
        retry: RetryPolicy(delays: [.seconds(1), .milliseconds(1500)]), deliveryLimit: 20
    )

    @Test("queues are named after the service")
    func names() {
        #expect(topology.workQueue == "kontroll.work")
        #expect(topology.parkingQueue == "kontroll.parked")
        #expect(topology.queues.map(\.name) == ["kontroll.parked", "kontroll.work", "kontroll.retry.1", "kontroll.retry.2"])
    }

    @Test("every queue is a quorum queue, and every dead-letter route is at least once")
    func quorumAndAtLeastOnce() {
        for queue in topology.queues {
            #expect(queue.arguments["x-queue-type"] == "quorum", "\(queue.name)")
            if queue.arguments["x-dead-letter-routing-key"] != nil {
                #expect(queue.arguments["x-dead-letter-strategy"] == "at-least-once", "\(queue.name)")
                #expect(queue.arguments["x-overflow"] == "reject-publish", "\(queue.name)")
                #expect(queue.arguments["x-dead-letter-exchange"] == "", "\(queue.name)")
            }
        }
    }

    @Test("the work queue is bound to the service's keys, limits deliveries and dead-letters to parking")
    func workQueue() throws {
        let work = try #require(topology.queues.first { $0.name == "kontroll.work" })
        #expect(work.bindings.map(\.routingKey) == ["contract.stored.standard", "contract.resubmitted"])
        #expect(work.bindings.allSatisfy { $0.exchange == "avtal.events" })
        #expect(work.arguments["x-delivery-limit"] == .int(20))
        #expect(work.arguments["x-dead-letter-routing-key"] == "kontroll.parked")
    }

    @Test("each delay tier holds a message for its delay and then sends it back to the work queue")
    func delayTiers() throws {
        let second = try #require(topology.queues.first { $0.name == "kontroll.retry.2" })
        #expect(second.arguments["x-message-ttl"] == .int(1500))
        #expect(second.arguments["x-dead-letter-routing-key"] == "kontroll.work")
        #expect(second.bindings.isEmpty)
    }

    @Test("the parking queue keeps what it gets: no TTL, no dead-letter route, no delivery limit")
    func parkingQueue() throws {
        let parked = try #require(topology.queues.first { $0.name == "kontroll.parked" })
        #expect(parked.arguments == ["x-queue-type": "quorum"])
    }
}
