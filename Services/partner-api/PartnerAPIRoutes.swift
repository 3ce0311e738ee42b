import AvtalContractStore
public import AvtalDomain
public import AvtalPersistence
public import AvtalRuntime
public import Foundation
public import Hummingbird
public import Logging
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
public import PostgresNIO

/// partner-api's routes: the generated operations of `openapi.yaml` under `/v1` behind ``PartnerAPIMiddleware``,
/// and the document itself at `GET /v1/openapi.yaml`.
public enum PartnerAPIRoutes {
    public static func add(
        to router: Router<AvtalRequestContext>, client: PostgresClient, outbox: Outbox, webhooks: WebhookSettings,
        catalogue: ProductCatalogue = .current, logger: Logger
    ) throws {
        let directory = PartnerDirectory(client: client, logger: logger)
        router.add(middleware: PartnerAPIMiddleware(directory: directory, limiter: RateLimiter(client: client, logger: logger), logger: logger))
        let document = try openAPIDocument()
        router.get("v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        let handler = PartnerAPIHandler(
            client: client, store: ContractStore(logger: logger, outbox: outbox), outbox: outbox, catalogue: catalogue,
            webhooks: WebhookRegistry(seal: webhooks.seal, logger: logger),
            notices: StatusNotices(schedule: webhooks.delivery.schedule, logger: logger), directory: directory,
            allowsInternalAddresses: webhooks.allowsInternalAddresses, logger: logger)
        try handler.registerHandlers(on: router, serverURL: URL(string: "/v1")!)
    }

    /// The committed OpenAPI document, as built into the target.
    public static func openAPIDocument() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: url)
    }
}
