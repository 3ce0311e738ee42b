import Foundation

/// Prints a run's figures: submissions, the states reached, latencies per path, throughput and memory.
struct LoadReport: Sendable {
    let options: LoadOptions
    let tracked: [Tracked]
    let failures: [String]
    let submitting: Duration

    func printSubmissions(answerMs: [SubmissionPath: [Double]]) {
        let seconds = submitting.milliseconds / 1000
        print(
            String(
                format: "submitted: %d stored, %d failed in %.1f s (%.1f/s offered %d/s)", tracked.count, failures.count, seconds,
                Double(tracked.count) / seconds, options.rate))
        for path in [SubmissionPath.partnerAPI, .internalForm] {
            let answers = Percentiles(answerMs[path] ?? [])
            print(
                String(
                    format: "  %@: %d, answered in p50 %.0f ms, p99 %.0f ms, max %.0f ms%@", path.rawValue, answers.count, answers.at(0.5),
                    answers.at(0.99), answers.max, path == .internalForm ? " (open the form, then post it)" : ""))
        }
        print("each attempt's answer (a 503 or no answer is retried with backoff):")
        for line in AttemptAnswers.shared.lines() { print(line) }
    }

    func printOutcomes(states: [UUID: String], reached: [UUID: [String: Date]], settledAfter: Duration) {
        let settled = tracked.filter { contract in states[contract.id].map { Settlement.isSettled($0, contract.scenario) } ?? false }
        print(String(format: "settled: %d of %d, %.1f s after the first submission", settled.count, tracked.count, settledAfter.milliseconds / 1000))
        var byState: [String: Int] = [:]
        for contract in tracked { byState[states[contract.id] ?? "missing", default: 0] += 1 }
        print("reached: " + byState.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

        print("latency from submission to the state reached (ms):")
        print("  " + "path".padding(toLength: 58, withPad: " ", startingAt: 0) + "     n     p50     p95     p99     max")
        var lastReached = Date.distantPast
        for group in LatencyGroup.allCases {
            var latencies: [Double] = []
            for contract in tracked where contract.scenario.group == group {
                guard let at = reached[contract.id]?[contract.scenario.expectedState] else { continue }
                latencies.append(at.timeIntervalSince(contract.submittedAt) * 1000)
                lastReached = max(lastReached, at)
            }
            let p = Percentiles(latencies)
            print(
                "  " + group.rawValue.padding(toLength: 58, withPad: " ", startingAt: 0)
                    + String(format: "%6d %7.0f %7.0f %7.0f %7.0f", p.count, p.at(0.5), p.at(0.95), p.at(0.99), p.max))
        }
        if let first = tracked.map(\.submittedAt).min(), lastReached > first {
            let span = lastReached.timeIntervalSince(first)
            print(String(format: "throughput: %d contracts settled in %.1f s = %.1f contracts/s", settled.count, span, Double(settled.count) / span))
        }
    }

    /// Peak memory of each service, and where the machine's CPU went from the first submission until every contract
    /// settled: seconds per service, PostgreSQL and RabbitMQ, and as a share of the cores.
    func printUsage(peaks: [String: Int], cpuSeconds: [String: Double], machine: (busy: Double, generatorSeconds: Double)?, over: Duration) {
        let memory = options.services.map { name in
            peaks[name].map { String(format: "%@ %.1f", name, Double($0) / 1024) } ?? "\(name) —"
        }
        print("peak resident memory (MiB): " + memory.joined(separator: ", "))
        let wall = over.milliseconds / 1000
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let total = cpuSeconds.values.reduce(0, +)
        let names = options.services + ["postgres", "beam.smp"]
        let used = names.compactMap { name in
            cpuSeconds[name].map { String(format: "%@ %.0f s", name == "beam.smp" ? "rabbitmq" : name, $0) }
        }
        print(
            String(
                format: "CPU over %.0f s (%.0f core-seconds available): %@; together %.0f%% of the cores", wall, wall * cores,
                used.joined(separator: ", "), total / (wall * cores) * 100))
        if let machine {
            // Whether the cores were the limit: the machine's busy share, of which the load generator's own.
            print(
                String(
                    format: "the machine's cores over the same time: %.0f%% busy, the load generator %.0f%% of them (%.0f s)", machine.busy * 100,
                    machine.generatorSeconds / (wall * cores) * 100, machine.generatorSeconds))
        }
        printPerContract(cpuSeconds: cpuSeconds, names: names)
    }

    /// The CPU each contract cost, per process and for the system alone — every service, PostgreSQL and RabbitMQ; the
    /// sandbox (the third parties) and the load generator counted apart: the figure issue 19 sets a target for.
    func printPerContract(cpuSeconds: [String: Double], names: [String]) {
        let contracts = Double(max(1, tracked.count))
        let perContract = names.compactMap { name in
            cpuSeconds[name].map { String(format: "%@ %.1f", name == "beam.smp" ? "rabbitmq" : name, $0 * 1000 / contracts) }
        }
        let system = names.filter { $0 != "sandbox" }.compactMap { cpuSeconds[$0] }.reduce(0, +)
        print(
            String(
                format: "CPU per contract (ms): %@; the system without the sandbox %.1f ms", perContract.joined(separator: ", "),
                system * 1000 / contracts))
    }
}
