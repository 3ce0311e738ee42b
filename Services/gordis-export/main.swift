// gordis-export: pushes finalized special contracts to Xellent, each exactly once.
import AvtalExport
import AvtalRuntime
import AvtalThirdParty
import Configuration

try await ServiceRunner.run(
    ServiceDefinition(
        name: "gordis-export",
        defaultHTTPPort: 8085,
        schema: ExportLedger.schema,
        migrations: ExportLedger.migrations,
        routingKeys: ExportHandlers.routingKeys,
        handlers: { context in
            // XELLENT_URL: where Xellent answers (the sandbox locally and in tests).
            let xellent = HTTPXellent(baseURL: context.reader.string(forKey: "xellent.url", default: "http://127.0.0.1:8090"))
            return ExportHandlers.make(
                xellent: xellent, inbox: context.inbox, outbox: context.outbox, retry: context.configuration.retry, logger: context.logger)
        }
    )
)
