public import Configuration
import Foundation
import Synchronization

/// The settings that have a default only a laptop may use — a demo password, `guest:guest`, the sandbox's address,
/// an insecure cookie.
///
/// `AVTAL_ENVIRONMENT=local` (which `make up`, `make test` and the benchmarks set) lets those defaults stand in.
/// Anything else, or nothing, is production: there every such setting must be given and none may be its demo value.
/// Each one a service reads while it is being wired is checked, and a service with any missing or demo value refuses
/// to start, naming all of them in one line.
public final class LocalMode: Sendable {
    public let isLocal: Bool
    private let reader: ConfigReader
    private let problems = Mutex<[String]>([])

    public init(reader: ConfigReader) {
        self.reader = reader
        isLocal = reader.string(forKey: "avtal.environment") == "local"
    }

    /// `key`'s value; locally `local` when it is not set. Outside local mode a missing value, or `local` itself, is a
    /// problem (and `local` stands in only until the service refuses to start).
    public func string(_ key: String, local: String, isSecret: Bool = false) -> String {
        let value = reader.string(forKey: ConfigKey(key), isSecret: isSecret).flatMap { $0.isEmpty ? nil : $0 }
        guard !isLocal else { return value ?? local }
        guard let value else {
            note("\(Self.variable(key)) is missing")
            return local
        }
        if value == local { note("\(Self.variable(key)) has its local demo value") }
        return value
    }

    /// `key`'s value; locally `local` when not set; outside local mode `production` when not set, and a problem if
    /// set to anything else.
    public func bool(_ key: String, local: Bool, production: Bool) -> Bool {
        let value = reader.bool(forKey: ConfigKey(key))
        guard !isLocal else { return value ?? local }
        if let value, value != production { note("\(Self.variable(key)) must be \(production) outside local mode") }
        return production
    }

    /// Records a problem found by a check of the caller's own (a value that must not be what it is).
    public func note(_ problem: String) {
        problems.withLock { if !$0.contains(problem) { $0.append(problem) } }
    }

    /// What keeps the service from starting, in one line; nil when nothing does.
    public var refusal: String? {
        let found = problems.withLock { $0 }
        guard !found.isEmpty else { return nil }
        return "refusing to start outside local mode (AVTAL_ENVIRONMENT=local): " + found.joined(separator: "; ")
    }

    /// The environment variable of a configuration key: `getaccept.password` → `GETACCEPT_PASSWORD`.
    static func variable(_ key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
