import ArgumentParser
import AvtalContractStore
import AvtalDomain
import AvtalMessaging
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO

/// `avtalctl demo contracts --count N`: fills the contract store with varied contracts through the store's own insert
/// path, and has a running webbavtal move two thirds of them (a third waiting for MKA with rotating reasons, a third
/// approved) by sending it the verdicts kontroll would, for demos and for timing the back office's pages with many
/// contracts (`make bench-pages`). Never for production: the people are made up.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Made-up data for demos and benchmarks.", subcommands: [Contracts.self])

    struct Contracts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Insert made-up contracts into the contract store.")

        @Option(help: "How many contracts.") var count = 1000
        @Option(help: "Where the sequence starts, so that repeated runs make new facilities.") var start = 0

        @Option(help: "How long to wait, in seconds, for webbavtal to apply kontroll's verdicts (0: do not wait).") var wait = 300

        func run() async throws {
            let began = Date()
            try await withDatabase(schema: .contractStore) { client, logger in
                let verdicts = try await insert(client: client, logger: logger)
                print("inserted \(count) contracts in \(String(format: "%.1f", Date().timeIntervalSince(began))) s")
                guard wait > 0 else { return }
                try await awaitApplied(verdicts, client: client, logger: logger)
                print("webbavtal applied \(verdicts.count) verdicts after \(String(format: "%.1f", Date().timeIntervalSince(began))) s")
            }
        }

        /// Inserts the contracts through the store's insert path and, beside two thirds of them, the verdict kontroll
        /// would send (``NeedsMKA`` with rotating reasons, or ``CreditChecked``) in the store's outbox: webbavtal relays
        /// it and applies it like any other event, so the demo never changes a contract itself. Returns the verdicts'
        /// message ids.
        private func insert(client: PostgresClient, logger: Logger) async throws -> [UUID] {
            let store = ContractStore(logger: logger)
            let outbox = Outbox(schema: ContractStore.schema)
            let now = Date()
            let today = CivilDate(swedishDateAt: now)
            var verdicts: [UUID] = []
            for batch in stride(from: start, to: start + count, by: 100) {
                verdicts += try await client.withTransaction(logger: logger) { connection in
                    var ids: [UUID] = []
                    for sequence in batch..<min(batch + 100, start + count) {
                        guard
                            case .created(let contract) = try await store.insert(
                                DemoContracts.details(sequence, today: today), by: .service("avtalctl-demo"), now: now, on: connection)
                        else { continue }
                        switch sequence % 3 {
                        case 0:
                            let reasons = DemoContracts.reasons[sequence / 3 % DemoContracts.reasons.count]
                            let verdict = EventEnvelope(
                                payload: NeedsMKA(contractId: contract.id, reasons: reasons, findings: CheckFindings()), contractId: contract.id)
                            try await outbox.enqueue(verdict, on: connection, logger: logger)
                            ids.append(verdict.messageId)
                        case 1:
                            let verdict = EventEnvelope(
                                payload: CreditChecked(contractId: contract.id, outcome: .notRequired, findings: CheckFindings()),
                                contractId: contract.id)
                            try await outbox.enqueue(verdict, on: connection, logger: logger)
                            ids.append(verdict.messageId)
                        default:
                            break
                        }
                    }
                    return ids
                }
                try await outbox.wakeRelays(client: client, logger: logger)
            }
            return verdicts
        }

        /// Waits until webbavtal's inbox holds every verdict: it consumed and applied them.
        private func awaitApplied(_ verdicts: [UUID], client: PostgresClient, logger: Logger) async throws {
            let deadline = Date().addingTimeInterval(Double(wait))
            while true {
                let rows = try await client.query(
                    "SELECT count(*) FROM webbavtal.inbox WHERE message_id = ANY(\(verdicts))", logger: logger)
                var applied = 0
                for try await value in rows.decode(Int.self) { applied = value }
                if applied == verdicts.count { return }
                guard Date() < deadline else {
                    throw ValidationError("webbavtal applied \(applied) of \(verdicts.count) verdicts in \(wait) s: is webbavtal running?")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

/// Made-up contracts: private partner sales, business and private phone sales, each with its own facility.
enum DemoContracts {
    static let firstNames = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Olof"]
    static let lastNames = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson"]
    static let reasons: [[NeedsMKAReason]] = [
        [.facilityIdMissing], [.creditDenied], [.creditReferred], [.facilityUnknown, .customerConflict], [.facilityPriceAreaMismatch],
        [.signingExpired],
    ]

    static func details(_ sequence: Int, today: CivilDate) -> ContractDetails {
        let born = CivilDate(year: 1950, month: 1, day: 1)!.adding(days: sequence * 7 % 18_000)
        let personnummer = Personnummer.make(born: born, serial: sequence % 900).digits
        let facility = MeteringPointId.synthetic(sequence).value
        let address = Address(street: "Storgatan \(sequence % 90 + 1)", postalCode: "111 22", city: "Stockholm")
        let first = firstNames[sequence % firstNames.count]
        let last = lastNames[sequence / firstNames.count % lastNames.count]
        switch sequence % 10 {
        case 7, 8:
            return ContractDetails(
                kind: .business, salesChannel: .telesales, callDirection: .outbound, signatureMethod: .email,
                customer: Customer(
                    type: .business, organizationNumber: "556016-0680", companyName: "\(last) Bygg AB", email: "info@example.se", address: address),
                signer: Signer(firstName: first, lastName: last, email: "signer@example.se"),
                facilities: [Facility(meteringPointId: facility, priceArea: .se3, annualConsumptionKwh: 60_000)], productCode: "SPOT",
                startDate: today.adding(days: 20), sellerId: "seller")
        case 9:
            return ContractDetails(
                kind: .private, salesChannel: .customerService, callDirection: .inbound,
                customer: Customer(
                    type: .private, personalIdentityNumber: personnummer, firstName: first, lastName: last, email: "kund@example.se",
                    address: address),
                facilities: [Facility(meteringPointId: facility, priceArea: .se4)], productCode: "VARIABLE", startDate: today.adding(days: 30),
                sellerId: "seller")
        default:
            return ContractDetails(
                kind: .private, salesChannel: .partner,
                customer: Customer(
                    type: .private, personalIdentityNumber: personnummer, firstName: first, lastName: last, email: "kund@example.se",
                    phone: "+46701234567", address: address),
                facilities: [Facility(meteringPointId: facility, priceArea: .se3, annualConsumptionKwh: 12_000)], productCode: "FIXED-12",
                startDate: today.adding(days: 30), partner: PartnerReference(partnerId: "demo", externalReference: "demo-\(sequence)"))
        }
    }
}
