/// GetAccept's API as generated from its own document (`openapi.json`): `Client` for signering, `APIProtocol` and
/// `registerHandlers` for the sandbox's simulation, and `Components.Schemas` for the shapes both use.
public enum GetAcceptAPI {
    /// The real API's base, from the document's `servers`.
    public static let productionBase = "https://api.getaccept.com/v1"
}
