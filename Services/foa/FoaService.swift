import AvtalBackOffice
import AvtalContractStore
import AvtalPersistence
public import AvtalRuntime
import Configuration

/// foa: special business contracts built by business sellers (the blue tool), from a Lime deal's FOA id to a
/// contract ready for MKA in Gördis, stored through the contract store's insert path.
///
/// Its own key: `SESSION_COOKIE_SECURE` (false).
public enum FoaService {
    public static let definition = ServiceDefinition(
        name: "foa",
        defaultHTTPPort: 8084,
        schema: .foa,
        alsoMigrates: [.contractStore, .backOffice],
        routes: { router, context in
            let auth = BackOfficeAuth(
                client: context.postgres, pages: try Pages(adding: [try FOATemplates.directory]),
                secureCookies: context.mode.bool("session.cookie.secure", local: false, production: true), logger: context.logger)
            FOAPages(auth: auth, client: context.postgres, outbox: context.outbox, logger: context.logger).add(to: router)
        }
    )
}
