/// Where a contract came in.
public enum SalesChannel: String, Codable, Sendable, CaseIterable {
    /// A partner site (price comparison, affiliate) through partner-api.
    case partner
    /// Our own web, app or "Mina sidor" through partner-api.
    case ownWeb
    /// Telesales through the internal (green) form.
    case telesales
    /// Customer service through the internal (green) form.
    case customerService
    /// A business seller's special contract built in FOA.
    case foa
}
