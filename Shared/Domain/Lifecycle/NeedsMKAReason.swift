/// The stable codes of why a contract waits for MKA: kontroll's findings and signing's outcomes.
public enum NeedsMKAReason {
    public static let facilityIdMissing = "facility.id_missing"
    public static let facilityUnknown = "facility.unknown"
    public static let facilityPriceAreaMismatch = "facility.price_area_mismatch"
    /// A switch (not a move-in) starting before the facility register's earliest possible switch date.
    public static let switchTooEarly = "facility.switch_too_early"
    public static let possibleDuplicate = "contract.possible_duplicate"
    /// The customer's name differs from the customer register's for the same identity.
    public static let customerConflict = "customer.register_conflict"
    public static let creditDenied = "credit.denied"
    public static let creditReferred = "credit.referred"
    public static let creditUnavailable = "credit.unavailable"
    /// The customer declined to sign, or GetAccept refused the recipient.
    public static let signingRejected = "signing.rejected"
    public static let signingExpired = "signing.expired"
    /// The export of a special contract to Xellent failed; the reason follows after a colon.
    public static let exportFailed = "export.failed"

    /// Every code, in the order the back office lists them.
    public static let all = [
        facilityIdMissing, facilityUnknown, facilityPriceAreaMismatch, switchTooEarly, possibleDuplicate, customerConflict, creditDenied,
        creditReferred, creditUnavailable, signingRejected, signingExpired,
    ]
}
