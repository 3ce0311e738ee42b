public import AvtalDomain
public import Foundation

/// One signing round of a contract as signering's ledger holds it.
public struct SigningRound: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Recorded before GetAccept is called; GetAccept may or may not have the document (look it up by
        /// ``externalId``).
        case intended
        case live
        case signed
        case rejected
        case expired
        case recalled
        /// GetAccept refused the request (a bad recipient).
        case failed

        /// A new round may start only after one of these.
        public var allowsNewRound: Bool { [.rejected, .expired, .recalled, .failed].contains(self) }
    }

    public var contractId: UUID
    public var round: Int
    public var state: State
    public var method: SignatureMethod
    public var documentId: String?
    public var expiresAt: Date
    /// The span that opened it, when tracing was on: the contract's trace.
    public var traceparent: String? = nil

    /// GetAccept's `external_id`: the contract and the round, so a document can be found again after a crash.
    public var externalId: String { Self.externalId(contractId: contractId, round: round) }

    public static func externalId(contractId: UUID, round: Int) -> String {
        "\(contractId.uuidString.lowercased())-signing-\(round)"
    }
}
