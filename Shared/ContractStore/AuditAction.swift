/// What a line of the audit trail records.
public enum AuditAction: String, Sendable, CaseIterable {
    /// The contract was stored by an intake (partner-api, the internal form, FOA).
    case created
    /// The lifecycle moved it from one state to another.
    case transition
    /// An input did not fit its state: nothing changed.
    case refused
    /// MKA changed its details; the record's detail keeps before and after.
    case edited
    /// The safety-net sweep published its next step again.
    case republished
}
