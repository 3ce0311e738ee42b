import AvtalRuntime
import Foundation
import Hummingbird
import NIOCore

/// The partner-receiver role: a partner's webhook endpoint for tests and demos (docs/sandbox.md).
///
/// - `PUT /partner-receiver/{name}` — `{"secrets": ["whsec_…"], "down": false, "delayMs": 0}`: the secrets it checks
///   signatures with (two during a rotation), whether it answers 503 to everything, and how long it takes to answer.
/// - `POST /partner-receiver/{name}/events` — the webhook: `204` for an event whose signature checks out (once per
///   `webhook-id`; a repeat is `200` and counted), `401` otherwise, `503` while down.
/// - `GET /partner-receiver/{name}/events` — `{"accepted": [{id, timestamp, signatures, body}], "rejected": [reason],
///   "duplicates": n, "refusedWhileDown": n}`.
enum PartnerReceiverRoutes {
    static func add(to router: Router<AvtalRequestContext>, receiver: PartnerReceiver) {
        router.put("partner-receiver/:name") { request, context -> Response in
            let name = try context.parameters.require("name")
            let settings = try await request.decode(as: PartnerReceiver.Settings.self, context: context)
            await receiver.configure(name, settings)
            return Response(status: .noContent)
        }
        router.post("partner-receiver/:name/events") { request, context -> Response in
            let name = try context.parameters.require("name")
            let body = try await request.body.collect(upTo: 64 * 1024)
            try await Task.sleep(for: await receiver.delay(of: name))
            let verdict = await receiver.receive(
                name, id: request.headers[values: .init("webhook-id")!].first, timestamp: request.headers[values: .init("webhook-timestamp")!].first,
                signature: request.headers[values: .init("webhook-signature")!].first, body: Array(buffer: body), now: Date())
            switch verdict {
            case .accepted: return Response(status: .noContent)
            case .duplicate: return Response(status: .ok)
            case .rejected: return Response(status: .unauthorized)
            case .down: return Response(status: .serviceUnavailable)
            }
        }
        router.get("partner-receiver/:name/events") { _, context -> Response in
            let name = try context.parameters.require("name")
            guard let record = await receiver.record(of: name) else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(record))))
        }
    }
}
