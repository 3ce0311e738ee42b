import AvtalCreditBureau
import AvtalMailGateway
import AvtalPersistence
import AvtalRegisters
public import AvtalRuntime
import Configuration

/// kontroll: the checks of every stored standard contract (customer, facility, credit check, the e-mail that one was
/// made).
///
/// Its own keys, one per system it asks (the sandbox locally and in tests): `REGISTER_URL` (the customer and facility
/// registers), `CREDIT_BUREAU_URL`, `MAIL_GATEWAY_URL`.
public enum KontrollService {
    public static let definition = ServiceDefinition(
        name: "kontroll",
        defaultHTTPPort: 8082,
        schema: .kontroll,
        routingKeys: KontrollHandlers.routingKeys,
        handlers: { context in
            let reader = context.reader
            let registers = HTTPRegisters(baseURL: context.mode.string("register.url", local: "http://127.0.0.1:8090"))
            let checks = ContractChecks(
                customers: registers, facilities: registers,
                bureau: HTTPCreditBureau(baseURL: context.mode.string("credit.bureau.url", local: "http://127.0.0.1:8090")),
                mail: HTTPMailGateway(baseURL: context.mode.string("mail.gateway.url", local: "http://127.0.0.1:8090")))
            return KontrollHandlers.make(
                checks: checks, inbox: context.inbox, outbox: context.outbox, retry: context.configuration.retry, logger: context.logger)
        },
        // Each check waits on the registers, the bureau and the mail gateway: handle several contracts at once.
        defaultConsumerConcurrency: 16
    )
}
