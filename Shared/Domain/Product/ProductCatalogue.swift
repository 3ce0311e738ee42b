/// One electricity product a standard contract may name.
public struct Product: Sendable, Equatable, Codable {
    public enum Pricing: String, Sendable, Codable, CaseIterable {
        /// The same price per kWh for the binding period.
        case fixed
        /// The month's average price plus a markup.
        case variable
        /// The hour's spot price plus a markup.
        case hourly
    }

    public var code: String
    public var name: String
    public var pricing: Pricing
    /// For fixed prices: how many months the price (and the customer) is bound.
    public var bindingMonths: Int?

    public init(code: String, name: String, pricing: Pricing, bindingMonths: Int? = nil) {
        self.code = code
        self.name = name
        self.pricing = pricing
        self.bindingMonths = bindingMonths
    }
}

/// The products on sale: data, served as it is at `GET /v1/products`, and the codes a contract may name.
/// Special contracts (FOA) have their own terms and the code `SPECIAL`, which is not on sale to partners.
public struct ProductCatalogue: Sendable {
    public let products: [Product]

    public init(products: [Product]) {
        self.products = products
    }

    public static let current = ProductCatalogue(products: [
        Product(code: "FIXED-12", name: "Fast pris 12 månader", pricing: .fixed, bindingMonths: 12),
        Product(code: "FIXED-24", name: "Fast pris 24 månader", pricing: .fixed, bindingMonths: 24),
        Product(code: "FIXED-36", name: "Fast pris 36 månader", pricing: .fixed, bindingMonths: 36),
        Product(code: "VARIABLE", name: "Rörligt pris", pricing: .variable),
        Product(code: "SPOT", name: "Timpris", pricing: .hourly),
    ])

    public func product(code: String) -> Product? {
        products.first { $0.code == code }
    }
}
