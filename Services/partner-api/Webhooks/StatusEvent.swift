public import AvtalDomain
public import Foundation

/// The body of one status webhook, in the Standard Webhooks envelope (`type`, `timestamp`, `data`). `data` holds what
/// `GET /v1/contracts/{id}` shows about the change and nothing more: the contract's id, the partner's own reference,
/// the new status, its place in the contract's sequence of statuses (1 is `received`, then 2, 3, … with no gaps) and
/// when it changed.
public struct StatusEvent: Codable, Sendable, Equatable {
    public static let type = "contract.status_changed"

    public struct Data: Codable, Sendable, Equatable {
        public var contractId: String
        public var externalReference: String
        public var status: String
        public var sequence: Int
        public var changedAt: String
    }

    public var type: String
    public var timestamp: String
    public var data: Data

    public init(contractId: UUID, externalReference: String, status: PartnerView.Status, sequence: Int, changedAt: Date) {
        type = Self.type
        timestamp = Timestamp.string(changedAt)
        data = Data(
            contractId: contractId.uuidString.lowercased(), externalReference: externalReference, status: status.rawValue, sequence: sequence,
            changedAt: Timestamp.string(changedAt))
    }

    /// The bytes sent and signed, made once when the delivery is queued, so every retry sends and signs the same.
    public func body() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The body as two pieces around the sequence number, for a statement that numbers the change and queues its
    /// delivery at once (the number is the database's): `before + String(n) + after` is ``body()`` with sequence `n`.
    func bodyAroundSequence() throws -> (before: String, after: String) {
        var numberless = self
        numberless.data.sequence = 0
        let body = try numberless.body()
        // A quote inside a string is escaped, so `"sequence":` occurs once: as the key.
        let key = "\"sequence\":"
        guard let found = body.range(of: key + "0"), body.range(of: key, range: found.upperBound..<body.endIndex) == nil else {
            throw StatusEventError.sequenceNotFound
        }
        return (String(body[..<found.lowerBound]) + key, String(body[found.upperBound...]))
    }
}

enum StatusEventError: Error, CustomStringConvertible {
    case sequenceNotFound

    var description: String { "the status event's body has no single sequence number" }
}
