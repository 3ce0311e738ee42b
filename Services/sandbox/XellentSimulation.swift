import AvtalRuntime
import AvtalThirdParty
import AvtalXellent
import Foundation
import Hummingbird
import NIOCore

/// The sandbox's Xellent: agreements created under our reference, at most once each, and a control to take it down.
///
/// - `POST /xellent/agreements` — creates (201) or answers the agreement already under the reference (200); refuses
///   (422 `{"code": …}`) a customer named with "Avvisas" (`customer_rejected`) or a facility Xellent does not take
///   (13th digit 9: `installation_unknown`); 503 while down.
/// - `GET /xellent/agreements/{reference}` — what is held under our reference, or 404; 503 while down.
/// - `POST /xellent-control/outage?seconds=N` — down for N seconds (0: up again).
///
/// `latency` delays the answer to a new agreement after it is stored, so a caller killed while waiting leaves an
/// agreement made in Xellent and none recorded of its own (the crash tests). Calls go to `GET /calls?system=xellent`.
actor XellentSimulation {
    private var agreements: [String: (agreement: XellentAgreement, receipt: XellentReceipt)] = [:]
    private var downUntil: Date?
    private let calls: SandboxState
    private let latency: Duration

    init(calls: SandboxState, latency: Duration) {
        self.calls = calls
        self.latency = latency
    }

    var isDown: Bool { downUntil.map { Date() < $0 } ?? false }

    func takeDown(for seconds: Double) { downUntil = seconds > 0 ? Date().addingTimeInterval(seconds) : nil }

    /// The receipt and whether it is new; a refusal's code instead when Xellent will not take it.
    func create(_ agreement: XellentAgreement) -> Result<(XellentReceipt, Bool), RefusedAgreement> {
        if let existing = agreements[agreement.reference] { return .success((existing.receipt, false)) }
        if agreement.customer.name.contains("Avvisas") { return .failure(RefusedAgreement(code: "customer_rejected")) }
        if agreement.installations.isEmpty || agreement.installations.contains(where: { Array($0.meteringPointId).dropFirst(12).first == "9" }) {
            return .failure(RefusedAgreement(code: "installation_unknown"))
        }
        let receipt = XellentReceipt(reference: agreement.reference, xellentId: "XA-\(100_000 + agreements.count + 1)", createdAt: Date())
        agreements[agreement.reference] = (agreement, receipt)
        return .success((receipt, true))
    }

    func receipt(_ reference: String) -> XellentReceipt? { agreements[reference]?.receipt }

    struct RefusedAgreement: Error, Encodable {
        var code: String
    }

    nonisolated func addRoutes(to router: Router<AvtalRequestContext>) {
        router.post("xellent/agreements") { request, context -> Response in
            let agreement = try await request.decode(as: XellentAgreement.self, context: context)
            guard !(await self.isDown) else {
                await self.calls.record("xellent", "unavailable", key: agreement.reference)
                throw HTTPError(.serviceUnavailable)
            }
            switch await self.create(agreement) {
            case .failure(let refusal):
                await self.calls.record("xellent", "agreement-refused", key: agreement.reference)
                return try Self.json(refusal, status: .unprocessableContent)
            case .success(let (receipt, isNew)):
                await self.calls.record("xellent", isNew ? "agreement-created" : "agreement-repeated", key: agreement.reference)
                if isNew { try await Task.sleep(for: self.latency) }
                return try Self.json(receipt, status: isNew ? .created : .ok)
            }
        }
        router.get("xellent/agreements/:reference") { _, context -> Response in
            let reference = try context.parameters.require("reference")
            guard !(await self.isDown) else {
                await self.calls.record("xellent", "unavailable", key: reference)
                throw HTTPError(.serviceUnavailable)
            }
            await self.calls.record("xellent", "lookup", key: reference)
            guard let receipt = await self.receipt(reference) else { throw HTTPError(.notFound) }
            return try Self.json(receipt)
        }
        router.post("xellent-control/outage") { request, _ -> Response in
            let seconds = request.uri.queryParameters["seconds"].flatMap { Double($0) } ?? 0
            await self.takeDown(for: seconds)
            return Response(status: .noContent)
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try ThirdPartyJSON.encoder.encode(value))))
    }
}
