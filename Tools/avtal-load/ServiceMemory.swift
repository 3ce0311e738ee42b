import Foundation

/// The peak resident memory of each service process on this machine, from `/proc`: sampled while the run lasts (a
/// process killed and restarted takes its own peak with it) and its kernel-kept high-water mark (`VmHWM`) at the end.
actor ServiceMemory {
    private let names: Set<String>
    /// The largest resident size seen per service, in KiB, over all its processes.
    private var peakKiB: [String: Int] = [:]

    init(names: [String]) {
        self.names = Set(names)
    }

    /// Samples every `interval` until cancelled.
    func sample(every interval: Duration) async {
        while !Task.isCancelled {
            record(field: "VmRSS:")
            try? await Task.sleep(for: interval)
        }
    }

    /// The peaks, with each live process's high-water mark taken into account.
    func peaks() -> [String: Int] {
        record(field: "VmHWM:")
        return peakKiB
    }

    private func record(field: String) {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for pid in pids where pid.first?.isNumber == true {
            guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { continue }
            let name = comm.trimmingCharacters(in: .whitespacesAndNewlines)
            guard names.contains(name), let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
                let kib = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
            else { continue }
            peakKiB[name] = max(peakKiB[name] ?? 0, kib)
        }
    }
}
