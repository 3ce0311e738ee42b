// avtal-soak: many confirmed publishes on one publisher connection, as a service's outbox relay makes over weeks, with
// the process's resident memory printed as it goes (a benchmark, not a test). Run it with `make soak`.
//
//   avtal-soak [messages] [batch]      (default 1 000 000 in batches of 500)
//
// The messages go to a quorum queue of its own that keeps only the newest 10 000, so the broker does not fill up.
// Reads AMQP_URLS like the services.
import AvtalMessaging
import Foundation
import Logging

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let total = arguments.first ?? 1_000_000
let batch = arguments.dropFirst().first ?? 500
var logger = Logger(label: "avtal-soak")
logger.logLevel = .warning
guard let addresses = BrokerAddress.list(ProcessInfo.processInfo.environment["AMQP_URLS"] ?? "amqp://guest:guest@127.0.0.1:26672") else {
    fatalError("AMQP_URLS is not a list of amqp:// URLs")
}
let name = "soak-\(UUID().uuidString.prefix(8).lowercased())"
let queue = QueueSpec(
    name: name, arguments: ["x-queue-type": "quorum", "x-max-length": .int(10_000)],
    bindings: [QueueSpec.Binding(exchange: name, routingKey: "soak")])
let publisher = AMQPPublisher(
    options: ConnectionOptions(addresses: addresses), topology: Topology(exchanges: [name], queues: [queue]), logger: logger)
try await publisher.connect()

/// This process's resident memory, in MiB, from /proc.
func residentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0) / 1024
}

let body = Array(String(repeating: "x", count: 400).utf8)
let started = ContinuousClock.now
var sent = 0
var failed = 0
var nextReport = 0
print(String(format: "messages %9d  resident %7.1f MiB", 0, residentMiB()))
while sent < total {
    let count = min(batch, total - sent)
    let messages = (0..<count).map { index in
        OutboundMessage(exchange: name, routingKey: "soak", body: body, messageId: "\(name)-\(sent + index)", type: "Soak")
    }
    failed += await publisher.publish(messages).filter { if case .failure = $0 { true } else { false } }.count
    sent += count
    if sent >= nextReport {
        print(String(format: "messages %9d  resident %7.1f MiB", sent, residentMiB()))
        nextReport += max(total / 10, batch)
    }
}
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(
    String(
        format: "%d confirmed publishes (%d failed) on one connection in %.1f s: %.0f msg/s; resident at the end %.1f MiB",
        sent - failed, failed, seconds, Double(sent) / seconds, residentMiB()))
await publisher.close()
