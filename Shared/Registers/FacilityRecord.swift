/// A metering point as the facility register knows it.
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

    public init(meteringPointId: String, gridArea: String, priceArea: String, currentSupplier: String?, earliestSwitchDate: String? = nil) {
        self.meteringPointId = meteringPointId
        self.gridArea = gridArea
        self.priceArea = priceArea
        self.currentSupplier = currentSupplier
        self.earliestSwitchDate = earliestSwitchDate
    }
}
