import AvtalBackOffice
import AvtalContractStore
import AvtalPersistence
public import AvtalRuntime
import Configuration

/// webbavtal: the contract store's owner at run time — the lifecycle (the only writer of a stored contract), the
/// consumers of the other services' events, the safety-net sweep — and the back office: login, the internal form,
/// MKA's worklist, the contract page and actions, Gördis, the flow board.
///
/// Its own keys: `SWEEP_INTERVAL_SECONDS` (600), `SWEEP_STUCK_AFTER_SECONDS` (300), `SESSION_COOKIE_SECURE` (false),
/// `STATE_GAUGES_INTERVAL_SECONDS` (15), `TRACE_LINK` (unset: the contract page links to no trace; ``TraceLink``).
public enum WebbavtalService {
    public static let definition = ServiceDefinition(
        name: "webbavtal",
        defaultHTTPPort: 8081,
        schema: .contractStore,
        alsoMigrates: [.backOffice],
        routingKeys: ContractEventHandlers.routingKeys,
        handlers: { context in
            ContractEventHandlers.make(lifecycle: ContractLifecycle(logger: context.logger), inbox: context.inbox)
        },
        // Each event is a short transaction waiting on its commit's fsync: eight contracts' events at once.
        defaultConsumerConcurrency: 8,
        background: { context in
            [
                SafetyNetSweep(
                    client: context.postgres,
                    lifecycle: ContractLifecycle(logger: context.logger),
                    interval: .seconds(context.reader.int(forKey: "sweep.interval.seconds", default: 600)),
                    stuckAfter: .seconds(context.reader.int(forKey: "sweep.stuck.after.seconds", default: 300)),
                    maximumRounds: context.reader.int(forKey: "sweep.maximum.rounds", default: 4),
                    logger: context.logger
                ),
                // STATE_GAUGES_INTERVAL_SECONDS: how often the contracts per state are counted for /metrics.
                ContractStateGauges(
                    client: context.postgres, interval: .seconds(max(1, context.reader.int(forKey: "state.gauges.interval.seconds", default: 15))),
                    logger: context.logger),
            ]
        },
        routes: { router, context in
            let auth = BackOfficeAuth(
                client: context.postgres, pages: try Pages(adding: [try WebbavtalTemplates.directory]),
                secureCookies: context.mode.bool("session.cookie.secure", local: false, production: true), logger: context.logger)
            let board = FlowBoard(
                client: context.postgres, broker: context.configuration.broker, queuePrefix: context.configuration.queuePrefix,
                logger: context.logger)
            BackOfficePages(auth: auth, client: context.postgres, board: board, traceLink: try TraceLink.read(context.reader), logger: context.logger)
                .add(to: router)
        }
    )
}
