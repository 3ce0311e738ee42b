import AvtalCreditBureau
import AvtalDomain
import AvtalMailGateway
import AvtalRegisters
import AvtalRuntime
import AvtalThirdParty
import Foundation
import Hummingbird
import NIOCore

/// The sandbox's HTTP interface: the customer and facility registers, the credit bureau, the mail gateway, and
/// `GET /calls` for tests. Request bodies are never logged.
enum SandboxRoutes {
    /// `bureauLatency`: how long the bureau takes to answer a new check, after it has made and stored it (so a
    /// caller killed while waiting leaves a check made at the bureau and no outcome of its own — the crash tests);
    /// `bureauSlowLatency`: the same for the slow subjects, serial 800–849 (the load generator's "bureau slow").
    static func add(to router: Router<AvtalRequestContext>, state: SandboxState, bureauLatency: Duration, bureauSlowLatency: Duration) {
        // The identity comes in the body: a personnummer never travels in a URL.
        router.post("register/customers/lookup") { request, context in
            let identity = try await request.decode(as: CustomerLookup.self, context: context).identity
            await state.record("customer-register", "lookup", key: identity)
            guard let customer = SandboxRules.customer(identity: identity) else { throw HTTPError(.notFound) }
            return try json(customer)
        }
        router.get("register/facilities/:id") { _, context in
            let id = try context.parameters.require("id")
            await state.record("facility-register", "lookup", key: id)
            guard let facility = SandboxRules.facility(meteringPointId: id, today: CivilDate(swedishDateAt: Date())) else {
                throw HTTPError(.notFound)
            }
            return try json(facility)
        }
        router.post("bureau/credit-checks") { request, context in
            let check = try await request.decode(as: CreditCheckRequest.self, context: context)
            guard !check.reference.isEmpty, SandboxRules.serial(of: check.subject) != nil else {
                throw HTTPError(.unprocessableContent, message: "reference and a 12-digit personnummer or an organisationsnummer are required")
            }
            if let earlier = await state.report(check.reference) {
                await state.record("credit-bureau", "credit-check-repeat", key: check.reference)
                return try json(earlier)
            }
            switch SandboxRules.bureauAnswer(subject: check.subject) {
            case .unavailable:
                await state.record("credit-bureau", "credit-check-unavailable", key: check.reference)
                throw HTTPError(.serviceUnavailable)
            case .report(let outcome, let reasonCode):
                return try await makeReport(outcome, reasonCode: reasonCode, latency: bureauLatency)
            case .slowlyApproved:
                return try await makeReport(.approved, reasonCode: nil, latency: bureauSlowLatency)
            }
            /// Makes and stores the report, then answers after `latency`: a crashed caller finds the check made.
            func makeReport(_ outcome: CreditReport.Outcome, reasonCode: String?, latency: Duration) async throws -> Response {
                let report = CreditReport(
                    reference: check.reference, outcome: outcome, reasonCode: reasonCode, bureau: SandboxRules.bureauName, checkedAt: Date()
                )
                await state.store(report)
                await state.record("credit-bureau", "credit-check", key: check.reference)
                try await Task.sleep(for: latency)
                return try json(report)
            }
        }
        router.get("bureau/credit-checks/:reference") { _, context in
            let reference = try context.parameters.require("reference")
            await state.record("credit-bureau", "report", key: reference)
            guard let report = await state.report(reference) else { throw HTTPError(.notFound) }
            return try json(report)
        }
        router.post("mail/messages") { request, context in
            let mail = try await request.decode(as: OutgoingMail.self, context: context)
            guard !mail.reference.isEmpty, mail.to.contains("@") else {
                throw HTTPError(.unprocessableContent, message: "reference and a recipient address are required")
            }
            let isNew = await state.send(mail)
            await state.record("mail", isNew ? "mail-sent" : "mail-repeat", key: mail.reference)
            return try json(MailReceipt(reference: mail.reference), status: isNew ? .accepted : .ok)
        }
        router.get("mail/messages/:reference") { _, context in
            let reference = try context.parameters.require("reference")
            await state.record("mail", "mail-status", key: reference)
            guard await state.mail(reference) != nil else { throw HTTPError(.notFound) }
            return try json(MailReceipt(reference: reference))
        }
        // For tests: the whole message sent under a reference — its recipient, subject and text.
        router.get("mail-control/messages/:reference") { _, context in
            guard let mail = await state.mail(try context.parameters.require("reference")) else { throw HTTPError(.notFound) }
            return try json(mail)
        }
        router.get("calls") { request, _ in
            let query = request.uri.queryParameters
            return try json(await state.calls(system: query["system"].map(String.init), key: query["key"].map(String.init)))
        }
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try ThirdPartyJSON.encoder.encode(value)))
        )
    }
}
