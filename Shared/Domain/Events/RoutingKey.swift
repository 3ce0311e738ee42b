/// The routing keys of the domain events on the topic exchange: the event's name in dotted lower case.
///
/// `ContractStored` is split by kind so that kontroll binds only to standard contracts and can never credit-check
/// a special one.
public enum RoutingKey {
    public static let contractStoredStandard = "contract.stored.standard"
    public static let contractStoredSpecial = "contract.stored.special"
    public static let creditChecked = "credit.checked"
    public static let needsMKA = "contract.needs-mka"
    public static let contractApproved = "contract.approved"
    public static let contractResubmitted = "contract.resubmitted"
    public static let contractRejected = "contract.rejected"
    public static let contractCancelled = "contract.cancelled"
    public static let signingRequested = "signing.requested"
    public static let contractSigned = "contract.signed"
    public static let signingRejected = "signing.rejected"
    public static let signingExpired = "signing.expired"
    public static let specialContractFinalized = "special-contract.finalized"
    public static let exportRetryRequested = "export.retry-requested"
    public static let contractExported = "contract.exported"
    public static let exportFailed = "export.failed"
    public static let withdrawalRequested = "contract.withdrawal-requested"
    public static let supplementSubmitted = "contract.supplement-submitted"
    public static let partnerStatusChanged = "contract.partner-status-changed"
}
