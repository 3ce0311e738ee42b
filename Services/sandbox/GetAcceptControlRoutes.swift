import AvtalRuntime
import Foundation
import Hummingbird
import NIOCore

/// For tests and demos: drive a simulated GetAccept document by hand, and see how many documents an external id has.
///
/// - `POST /getaccept-control/documents/{id}/{sign|reject|expire|view}?deliveries=N` — the signer acts (or the
///   document expires), and the webhook goes out N times (default 1; 0: lost). `view` after a final state still announces
///   `document.viewed`: the out-of-order case.
/// - `GET /getaccept-control/documents?externalId=…` — `{"count": n, "ids": […], "statuses": […]}`.
/// - `GET /getaccept-control/wire` — every JSON body received (by operation id) and every webhook sent (`Webhook`).
enum GetAcceptControlRoutes {
    static func add(to router: Router<AvtalRequestContext>, simulation: GetAcceptSimulation) {
        router.post("getaccept-control/documents/:id/:action") { request, context -> Response in
            let id = try context.parameters.require("id")
            let action = try context.parameters.require("action")
            let deliveries = request.uri.queryParameters["deliveries"].flatMap { Int($0) } ?? 1
            let status: String? =
                switch action {
                case "sign": "signed"
                case "reject": "rejected"
                case "expire": "expired"
                case "view": nil
                default: throw HTTPError(.badRequest, message: "action is sign, reject, expire or view")
                }
            guard let current = await simulation.state.document(id: id) else { throw HTTPError(.notFound) }
            let document = status.flatMap { _ in nil as GetAcceptState.Document? } ?? current
            if let status {
                let moved = await simulation.state.move(id, to: status) ?? current
                await simulation.announce(moved, event: "document.\(status)", deliveries: deliveries)
            } else {
                await simulation.announce(document, event: "document.viewed", deliveries: deliveries)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        router.get("getaccept-control/wire") { _, _ -> Response in
            let records = await simulation.state.wireRecords().map { ["operation": $0.operation, "body": $0.body] }
            let data = try JSONSerialization.data(withJSONObject: records)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("getaccept-control/documents") { request, _ -> Response in
            let externalId = request.uri.queryParameters["externalId"].map(String.init) ?? ""
            let documents = await simulation.state.documents(externalId: externalId)
            let object: [String: Any] = ["count": documents.count, "ids": documents.map(\.id), "statuses": documents.map(\.status)]
            let data = try JSONSerialization.data(withJSONObject: object)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
