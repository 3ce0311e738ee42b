import Foundation

/// What each service's processes used on this machine, from `/proc`: the peak resident memory — sampled while the run
/// lasts (a process killed and restarted takes its own peak with it) and each live process's high-water mark
/// (`VmHWM`) at the end — and the CPU time used since sampling began (`utime + stime`), summed over its processes.
/// PostgreSQL (`postgres`) and RabbitMQ (`beam.smp`) can be watched too, to see where the machine's cores go; and the
/// whole machine's busy time (`/proc/stat`) and the load generator's own, so that a run can tell whether the cores
/// were the limit.
actor ServiceUsage {
    private let names: Set<String>
    /// The largest resident size seen per name, in KiB, over all its processes.
    private var peakKiB: [String: Int] = [:]
    /// Per process: its name, its CPU ticks when first seen and when last seen.
    private var ticks: [String: (name: String, first: Int, last: Int)] = [:]
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    /// The machine's busy and all ticks (every core), and the load generator's own, when first and last sampled.
    private var machine: (first: (busy: Int, all: Int), last: (busy: Int, all: Int))?
    private var generator: (first: Int, last: Int)?

    init(names: [String]) {
        self.names = Set(names)
    }

    /// Samples every `interval` until cancelled.
    func sample(every interval: Duration) async {
        while !Task.isCancelled {
            record(memoryField: "VmRSS:")
            try? await Task.sleep(for: interval)
        }
    }

    /// The peak resident memory per name in KiB, with each live process's high-water mark taken into account.
    func peaks() -> [String: Int] {
        record(memoryField: "VmHWM:")
        return peakKiB
    }

    /// The CPU seconds each name used since sampling began (processes that died count up to their last sample).
    func cpuSeconds() -> [String: Double] {
        record(memoryField: "VmRSS:")
        var seconds: [String: Double] = [:]
        for process in ticks.values { seconds[process.name, default: 0] += Double(process.last - process.first) / ticksPerSecond }
        return seconds
    }

    /// The share of the machine's cores that were busy since sampling began, and the load generator's own CPU
    /// seconds; nil without `/proc/stat`.
    func machineUsage() -> (busy: Double, generatorSeconds: Double)? {
        record(memoryField: "VmRSS:")
        guard let machine, machine.last.all > machine.first.all else { return nil }
        let busy = Double(machine.last.busy - machine.first.busy) / Double(machine.last.all - machine.first.all)
        return (busy, Double((generator?.last ?? 0) - (generator?.first ?? 0)) / ticksPerSecond)
    }

    private func record(memoryField: String) {
        if let now = Self.machineTicks() { machine = (machine?.first ?? now, now) }
        if let own = Self.cpuTicks(pid: "self") { generator = (generator?.first ?? own, own) }
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for pid in pids where pid.first?.isNumber == true {
            guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { continue }
            let name = comm.trimmingCharacters(in: .whitespacesAndNewlines)
            guard names.contains(name) else { continue }
            if let cpu = Self.cpuTicks(pid: pid) {
                let key = "\(pid)/\(name)"
                ticks[key] = (name, ticks[key]?.first ?? cpu, cpu)
            }
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix(memoryField) }),
                let kib = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
            else { continue }
            peakKiB[name] = max(peakKiB[name] ?? 0, kib)
        }
    }

    /// The machine's busy ticks (all but `idle` and `iowait`) and all its ticks, from the first line of `/proc/stat`.
    private static func machineTicks() -> (busy: Int, all: Int)? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is counted in user already)
        let fields = line.split(separator: " ").dropFirst().prefix(8).compactMap { Int($0) }
        guard fields.count == 8 else { return nil }
        let all = fields.reduce(0, +)
        return (all - fields[3] - fields[4], all)
    }

    /// `utime + stime` of a process: fields 14 and 15 of `/proc/<pid>/stat`, counted after the name's parenthesis.
    private static func cpuTicks(pid: String) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }
}
