/// Why a contract waits for MKA: kontroll's findings and signing's and the export's outcomes. The raw values are the
/// stable codes stored with the contract and carried in `NeedsMKA` events; an unknown code never decodes.
public enum NeedsMKAReason: String, Sendable, Codable, CaseIterable, Comparable {
    case facilityIdMissing = "facility.id_missing"
    case facilityUnknown = "facility.unknown"
    case facilityPriceAreaMismatch = "facility.price_area_mismatch"
    /// A switch (not a move-in) starting before the facility register's earliest possible switch date.
    case switchTooEarly = "facility.switch_too_early"
    case possibleDuplicate = "contract.possible_duplicate"
    /// The customer's name differs from the customer register's for the same identity.
    case customerConflict = "customer.register_conflict"
    case creditDenied = "credit.denied"
    case creditReferred = "credit.referred"
    case creditUnavailable = "credit.unavailable"
    /// The customer declined to sign, or GetAccept refused the recipient.
    case signingRejected = "signing.rejected"
    case signingExpired = "signing.expired"
    /// The export of a special contract to Xellent failed; what Xellent said is kept beside it.
    case exportFailed = "export.failed"
    /// The service the contract waited on never answered, though its event was published again and again; which
    /// service and for how long is kept beside it.
    case noProgress = "process.no_progress"

    /// Ordered by code, so that a set of reasons always lists the same way.
    public static func < (lhs: NeedsMKAReason, rhs: NeedsMKAReason) -> Bool { lhs.rawValue < rhs.rawValue }
}
