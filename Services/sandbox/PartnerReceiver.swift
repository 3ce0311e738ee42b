import Crypto
import Foundation

/// A partner's webhook receiver, as a partner would write one from our documentation: it checks each event's Standard
/// Webhooks signature against the secrets it was given, refuses a timestamp more than five minutes off and drops an
/// event id it has handled. Written here on its own (not with partner-api's signing code), so a mistake in ours shows
/// as a refusal. A test can take it down (503) or slow it.
actor PartnerReceiver {
    struct Settings: Codable {
        var secrets: [String]
        var down: Bool?
        var delayMs: Int?
    }

    struct Accepted: Codable {
        var id: String
        var timestamp: Int
        var signatures: Int
        var body: String
    }

    struct Record: Codable {
        var accepted: [Accepted] = []
        var rejected: [String] = []
        var duplicates = 0
        var refusedWhileDown = 0
    }

    enum Verdict: Equatable {
        case accepted
        case duplicate
        case rejected(String)
        case down
    }

    static let tolerance: TimeInterval = 300

    private var settings: [String: Settings] = [:]
    private var records: [String: Record] = [:]

    func configure(_ name: String, _ given: Settings) {
        settings[name] = given
        if records[name] == nil { records[name] = Record() }
    }

    func record(of name: String) -> Record? { records[name] }

    func delay(of name: String) -> Duration { .milliseconds(settings[name]?.delayMs ?? 0) }

    /// Checks one delivery as a partner must, and records the verdict.
    func receive(_ name: String, id: String?, timestamp: String?, signature: String?, body: [UInt8], now: Date) -> Verdict {
        guard let settings = settings[name] else { return .rejected("no such receiver") }
        var record = records[name] ?? Record()
        defer { records[name] = record }
        if settings.down == true {
            record.refusedWhileDown += 1
            return .down
        }
        let verdict = Self.verify(id: id, timestamp: timestamp, signature: signature, body: body, secrets: settings.secrets, now: now)
        if case .rejected(let reason) = verdict {
            record.rejected.append(reason)
            return verdict
        }
        guard let id, let timestamp = timestamp.flatMap(Int.init) else { return .rejected("unreachable") }
        if record.accepted.contains(where: { $0.id == id }) {
            record.duplicates += 1
            return .duplicate
        }
        let signatures = signature?.split(separator: " ").count ?? 0
        record.accepted.append(Accepted(id: id, timestamp: timestamp, signatures: signatures, body: String(decoding: body, as: UTF8.self)))
        return .accepted
    }

    /// The Standard Webhooks check: `v1,` + base64(HMAC-SHA256(secret, "id.timestamp.body")) among the header's
    /// space-separated signatures, for any of the secrets; the timestamp within ``tolerance`` of now.
    static func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], secrets: [String], now: Date) -> Verdict {
        guard let id, !id.isEmpty, let timestamp, let seconds = Int(timestamp), let signature else {
            return .rejected("missing webhook-id, webhook-timestamp or webhook-signature")
        }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { return .rejected("timestamp outside tolerance") }
        let signed = Array("\(id).\(timestamp).".utf8) + body
        let given = signature.split(separator: " ").compactMap { entry -> Data? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { return nil }
            return Data(base64Encoded: String(parts[1]))
        }
        for secret in secrets {
            guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else { continue }
            let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key)))
            for candidate in given where candidate.count == expected.count {
                // Constant time: every byte compared, whatever the first difference.
                if zip(candidate, expected).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 { return .accepted }
            }
        }
        return .rejected("no valid signature")
    }
}
