// avtal-api-bench: drives `POST /v1/contracts` on a running partner-api from this second process and prints
// throughput and latency. Open loop (`--rate N`): request i is due at start + i/N, and its latency counts from then
// (so a slow server cannot hide its queueing). Closed loop (`--rate 0`): `--clients` loops, each sending the next
// request when the last is answered. Every request is a new valid contract for its own facility.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

struct Options {
    var url = "http://127.0.0.1:28080"
    var key = ""
    var rate = 200
    var seconds = 10
    var clients = 16

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next() ?? ""
            switch argument {
            case "--url": url = value
            case "--key": key = value
            case "--rate": rate = Int(value) ?? rate
            case "--seconds": seconds = Int(value) ?? seconds
            case "--clients": clients = Int(value) ?? clients
            default: FileHandle.standardError.write(Data("unknown option \(argument)\n".utf8))
            }
        }
    }
}

/// A valid GSRN (anläggnings-ID): "735999", eleven digits from `sequence`, and the GS1 check digit.
func meteringPointId(_ sequence: Int) -> String {
    let body = "735999" + String(String(sequence).reversed()).padding(toLength: 11, withPad: "0", startingAt: 0)
    var sum = 0
    for (offset, digit) in body.compactMap(\.wholeNumberValue).reversed().enumerated() { sum += digit * (offset.isMultiple(of: 2) ? 3 : 1) }
    return body + String((10 - sum % 10) % 10)
}

let startDate: String = {
    let date = Date().addingTimeInterval(30 * 86_400)
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "Europe/Stockholm")
    return formatter.string(from: date)
}()

let run = UUID().uuidString.prefix(8)

func body(_ sequence: Int) -> String {
    """
    {"externalReference":"bench-\(run)-\(sequence)","customer":{"type":"private","personalIdentityNumber":"196408233234","firstName":"Anna",\
    "lastName":"Andersson","email":"anna@example.se","phone":"0701234567","address":{"street":"Storgatan 1","postalCode":"11122",\
    "city":"Stockholm"}},"facilities":[{"meteringPointId":"\(meteringPointId(sequence + 1_000_000))","priceArea":"SE3",\
    "annualConsumptionKwh":12000}],"product":{"code":"FIXED-12"},"startDate":"\(startDate)","consent":{"termsAccepted":true}}
    """
}

actor Results {
    var latencies: [Double] = []
    var statuses: [Int: Int] = [:]

    func record(status: Int, latency: Duration) {
        statuses[status, default: 0] += 1
        latencies.append(Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15)
    }

    func report(elapsed: Duration, label: String) {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let created = statuses[201, default: 0]
        print(
            String(
                format: "%@: %d requests in %.1f s = %.0f req/s (%d created); latency ms p50 %.1f  p90 %.1f  p99 %.1f  max %.1f; statuses %@",
                label, sorted.count, seconds, Double(sorted.count) / seconds, created, percentile(0.5), percentile(0.9), percentile(0.99),
                sorted.last ?? 0, statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")))
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
var configuration = HTTPClient.Configuration()
configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(options.clients, 64)
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

func send(_ sequence: Int) async -> Int {
    var request = HTTPClientRequest(url: options.url + "/v1/contracts")
    request.method = .POST
    request.headers.add(name: "Authorization", value: "Bearer \(options.key)")
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(string: body(sequence)))
    do {
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    } catch {
        return 0
    }
}

let results = Results()
let clock = ContinuousClock()
let start = clock.now
if options.rate > 0 {
    let total = options.rate * options.seconds
    await withTaskGroup(of: Void.self) { group in
        for sequence in 0..<total {
            let due = start + .nanoseconds(Int64(sequence) * 1_000_000_000 / Int64(options.rate))
            try? await clock.sleep(until: due)
            group.addTask {
                let status = await send(sequence)
                await results.record(status: status, latency: clock.now - due)
            }
        }
    }
    await results.report(elapsed: clock.now - start, label: "open loop at \(options.rate)/s")
} else {
    let deadline = start + .seconds(options.seconds)
    await withTaskGroup(of: Void.self) { group in
        for worker in 0..<options.clients {
            group.addTask {
                var sequence = worker
                while clock.now < deadline {
                    let sent = clock.now
                    let status = await send(sequence)
                    await results.record(status: status, latency: clock.now - sent)
                    sequence += options.clients
                }
            }
        }
    }
    await results.report(elapsed: clock.now - start, label: "closed loop, \(options.clients) clients")
}
try await client.shutdown()
