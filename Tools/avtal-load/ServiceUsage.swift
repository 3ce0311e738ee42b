import Foundation

/// What each service's processes used on this machine, from `/proc`: the peak resident memory — sampled while the run
/// lasts (a process killed and restarted takes its own peak with it) and each live process's high-water mark
/// (`VmHWM`) at the end — and the CPU time used since sampling began (`utime + stime`), summed over its processes.
/// PostgreSQL (`postgres`) and RabbitMQ (`beam.smp`) can be watched too, to see where the machine's cores go.
actor ServiceUsage {
    private let names: Set<String>
    /// The largest resident size seen per name, in KiB, over all its processes.
    private var peakKiB: [String: Int] = [:]
    /// Per process: its name, its CPU ticks when first seen and when last seen.
    private var ticks: [String: (name: String, first: Int, last: Int)] = [:]
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

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

    private func record(memoryField: String) {
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
