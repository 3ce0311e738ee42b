/// A metering point as the facility register knows it. kontroll compares it with the contract and passes it on in its
/// findings, so that the contract's page can show both side by side.
public struct FacilityRecord: Codable, Sendable, Equatable {
    public var meteringPointId: String
    /// The grid area (områdes-ID), three letters.
    public var gridArea: String
    /// `SE1` … `SE4`.
    public var priceArea: String
    public var currentSupplier: String?
    /// `YYYY-MM-DD`: the first day a supplier switch can take effect, when something (a switch already under way, a
    /// binding period the grid owner knows of) rules out earlier days.
    public var earliestSwitchDate: String?
    /// Where the metering point is, as the grid owner registered it.
    public var address: Address?

    public init(
        meteringPointId: String, gridArea: String, priceArea: String, currentSupplier: String?, earliestSwitchDate: String? = nil,
        address: Address? = nil
    ) {
        self.meteringPointId = meteringPointId
        self.gridArea = gridArea
        self.priceArea = priceArea
        self.currentSupplier = currentSupplier
        self.earliestSwitchDate = earliestSwitchDate
        self.address = address
    }
}
