/// The shared rules a contract must satisfy before it is stored, whichever way it came in. Pure: `today` is given.
///
/// ``validated(_:today:)`` returns the details with every identifier normalised, or every issue at once.
public struct ContractValidator: Sendable {
    /// A switch of supplier needs the grid owner told at least this many days before the start.
    public static let switchNoticeDays = 14
    /// No contract starts more than this many months ahead.
    public static let maximumMonthsAhead = 12
    public static let maximumFacilities = 1000

    public let today: CivilDate

    public init(today: CivilDate) {
        self.today = today
    }

    public func validated(_ details: ContractDetails) -> Result<ContractDetails, ValidationFailure> {
        var pass = ValidationPass(details, today: today)
        pass.checkKindAndChannel()
        pass.checkSpecialTerms()
        pass.checkCustomer()
        pass.checkSigner()
        pass.checkSignature()
        pass.checkFacilities()
        pass.checkProductAndDates()
        return pass.outcome
    }
}
