// avtal-load: a realistic mix of contracts through partner-api and the internal form's HTTP path at a set rate for a
// set time; then waits until every contract has settled and prints what each reached, the latency from submission
// to that state per path, the throughput and each service's peak memory — and checks that nothing was lost or done
// twice (exit status 1 if anything was). `deploy/load.sh` starts the stack it runs against; docs/PERFORMANCE.md.
//
//   avtal-load --rate 50 --seconds 120 --partner-key avtal_…   (the seller's password in AVTAL_LOAD_SELLER_PASSWORD)
import AsyncHTTPClient
import AvtalDomain
import Foundation
import Logging
import PostgresNIO

let options: LoadOptions
do {
    options = try LoadOptions(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("avtal-load: \(error)\n".utf8))
    exit(2)
}
var logger = Logger(label: "avtal-load")
logger.logLevel = .warning
let environment = ProcessInfo.processInfo.environment

var httpConfiguration = HTTPClient.Configuration()
httpConfiguration.redirectConfiguration = .disallow
httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
let postgres = PostgresClient(
    configuration: .init(
        host: "127.0.0.1", port: Int(environment["POSTGRES_PORT"] ?? "") ?? 26432, username: "postgres", password: nil,
        database: environment["POSTGRES_DATABASE"] ?? "avtalsflode", tls: .disable),
    backgroundLogger: logger)

/// What the submitting phase produced.
actor Submissions {
    var tracked: [Tracked] = []
    var failures: [String] = []
    var answerMs: [SubmissionPath: [Double]] = [:]

    func record(_ result: Submitted, _ data: ContractData, submittedAt: Date, took: Duration) {
        switch result {
        case .contract(let id):
            tracked.append(Tracked(id: id, scenario: data.scenario, submittedAt: submittedAt))
            answerMs[data.scenario.path, default: []].append(took.milliseconds)
        case .failed(let reason):
            failures.append("\(data.scenario.rawValue) #\(data.sequence): \(reason)")
        }
    }
}

let exitStatus: Int32 = try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await postgres.run() }
    let usage = ServiceUsage(names: options.services + ["postgres", "beam.smp"])
    group.addTask { await usage.sample(every: .milliseconds(500)) }
    defer { group.cancelAll() }

    let retryWindow = Duration.seconds(options.retrySeconds)
    let partner = PartnerSubmitter(client: http, baseURL: options.partnerURL, key: options.partnerKey, retryWindow: retryWindow)
    let form = try await FormSession.logIn(
        client: http, baseURL: options.officeURL, username: options.seller, password: environment[options.sellerPasswordEnv] ?? "",
        retryWindow: retryWindow)
    let run = Int(Date().timeIntervalSince1970) % 1000
    let today = CivilDate(swedishDateAt: Date())
    let total = options.rate * options.seconds
    if let untilFile = options.untilFile {
        print("avtal-load: \(options.rate) contracts/s for at least \(options.seconds) s, then until \(untilFile) exists, run \(run)")
    } else {
        print("avtal-load: \(options.rate) contracts/s for \(options.seconds) s (\(total) contracts), run \(run)")
    }

    let submissions = Submissions()
    let clock = ContinuousClock()
    let start = clock.now
    let startDate = Date()
    await withTaskGroup(of: Void.self) { senders in
        for sequence in 0... {
            if sequence >= total, options.untilFile.map({ FileManager.default.fileExists(atPath: $0) }) ?? true { break }
            let due = start.advanced(by: .nanoseconds(Int64(sequence) * 1_000_000_000 / Int64(options.rate)))
            try? await clock.sleep(until: due)
            let data = ContractData(scenario: Scenario.of(sequence), sequence: sequence, run: run, today: today)
            senders.addTask {
                let submittedAt = startDate.addingTimeInterval(Double((due - start).milliseconds) / 1000)
                let result = data.scenario.path == .partnerAPI ? await partner.submit(data) : await form.submit(data)
                await submissions.record(result, data, submittedAt: submittedAt, took: clock.now - due)
            }
            if sequence > 0, sequence % (options.rate * 10) == 0 {
                print("  submitted \(sequence)\(options.untilFile == nil ? " of \(total)" : "")")
                fflush(nil)  // progress shows at once even when the output is a file
            }
        }
    }
    let submitting = clock.now - start
    let tracked = await submissions.tracked
    let failures = await submissions.failures
    let report = LoadReport(options: options, tracked: tracked, failures: failures, submitting: submitting)
    report.printSubmissions(answerMs: await submissions.answerMs)

    let settlement = Settlement(postgres: postgres, logger: logger)
    let states = try await settlement.waitUntilSettled(tracked, timeout: .seconds(options.settleSeconds))
    let settledAfter = clock.now - start
    let reached = try await settlement.reached(tracked.map(\.id))
    report.printOutcomes(states: states, reached: reached, settledAfter: settledAfter)
    report.printUsage(
        peaks: await usage.peaks(), cpuSeconds: await usage.cpuSeconds(), machine: await usage.machineUsage(), over: clock.now - start)

    let findings = try await Invariants(postgres: postgres, client: http, sandboxURL: options.sandboxURL, logger: logger)
        .check(tracked, states: states)
    if findings.isEmpty && failures.isEmpty {
        print("invariants: all hold — every submitted contract stored and in its expected state, no side effect twice, every audit trail whole")
        return 0
    }
    for finding in findings { print("INVARIANT BROKEN — \(finding)") }
    if !failures.isEmpty { print("SUBMISSIONS FAILED — \(failures.count) (e.g. \(failures.prefix(3).joined(separator: "; ")))") }
    return 1
}
try await http.shutdown()
exit(exitStatus)
