/// The stable codes of why kontroll sends a contract to MKA.
public enum NeedsMKAReason {
    public static let facilityIdMissing = "facility.id_missing"
    public static let facilityUnknown = "facility.unknown"
    public static let facilityPriceAreaMismatch = "facility.price_area_mismatch"
    public static let possibleDuplicate = "contract.possible_duplicate"
    public static let creditDenied = "credit.denied"
    public static let creditReferred = "credit.referred"
    public static let creditUnavailable = "credit.unavailable"
}
