import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalRuntime
import Hummingbird
import Logging
import PostgresNIO

/// webbavtal's back office: login, the start page, the internal form (and the Lime link to it), MKA's worklist, the
/// contract page and MKA's actions, the flow board. What each page does lives in its own file; this is the map.
struct BackOfficePages: Sendable {
    let auth: BackOfficeAuth
    let client: PostgresClient
    let store: ContractStore
    let lifecycle: ContractLifecycle
    let prefills: PrefillStore
    let submissions: FormSubmissions
    let catalogue = ProductCatalogue.current
    let blankFields = BlankFormFields()
    /// The flow board's figures and replays; without it (a test of other pages) there is no board.
    let board: FlowBoard?
    /// Where a contract's page links to its trace (`TRACE_LINK`); nil: no link.
    let traceLink: TraceLink?
    let logger: Logger

    init(auth: BackOfficeAuth, client: PostgresClient, board: FlowBoard? = nil, traceLink: TraceLink? = nil, logger: Logger) {
        self.auth = auth
        self.client = client
        self.store = ContractStore(logger: logger)
        self.lifecycle = ContractLifecycle(logger: logger)
        self.prefills = PrefillStore(client: client, logger: logger)
        self.submissions = FormSubmissions(logger: logger)
        self.board = board
        self.traceLink = traceLink
        self.logger = logger
    }

    /// Who may sell through the internal form.
    static let sellers: Set<Role> = [.seller, .businessSeller]

    func add(to router: Router<AvtalRequestContext>) {
        auth.addLoginRoutes(to: router)
        router.get("/") { request, context -> Response in
            try await auth.guarded(request, context, role: nil) { _, session in auth.page("home", BackOfficeAuth.banner(session)) }
        }
        addContractForm(to: router)
        addWorklist(to: router)
        addContractPage(to: router)
        addFlowBoard(to: router)
    }
}
