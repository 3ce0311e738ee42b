import AvtalPersistence
public import AvtalRuntime
import AvtalXellent
import Configuration

/// gordis-export: pushes finalized special contracts to Xellent, each exactly once.
///
/// Its own key: `XELLENT_URL`, where Xellent answers (the sandbox locally and in tests).
public enum GordisExportService {
    public static let definition = ServiceDefinition(
        name: "gordis-export",
        defaultHTTPPort: 8085,
        schema: .gordisExport,
        routingKeys: ExportHandlers.routingKeys,
        handlers: { context in
            let xellent = HTTPXellent(baseURL: context.mode.string("xellent.url", local: "http://127.0.0.1:8090"))
            return ExportHandlers.make(
                xellent: xellent, inbox: context.inbox, outbox: context.outbox, retry: context.configuration.retry, logger: context.logger)
        }
    )
}
