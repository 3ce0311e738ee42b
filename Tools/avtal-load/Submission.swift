import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What submitting one contract gave.
enum Submitted: Sendable {
    /// Stored under this id (possibly after retries).
    case contract(UUID)
    /// Refused for good, or never answered within the retry window.
    case failed(String)
}

/// Retries a submission the way a partner or a seller would: on no answer or a 5xx/429 (a service restarting, the
/// database away), with backoff, for up to `window`. The same Idempotency-Key or form id makes a retry safe.
func withRetries(window: Duration, _ attempt: () async -> AttemptResult) async -> Submitted {
    let deadline = ContinuousClock.now.advanced(by: window)
    var backoff = Duration.milliseconds(100)
    var last = "not tried"
    while ContinuousClock.now < deadline {
        switch await attempt() {
        case .done(let id): return .contract(id)
        case .refused(let reason): return .failed(reason)
        case .retry(let reason): last = reason
        }
        try? await Task.sleep(for: backoff)
        backoff = min(backoff * 2, .seconds(2))
    }
    return .failed("gave up retrying: \(last)")
}

enum AttemptResult {
    case done(UUID)
    case refused(String)
    case retry(String)

    /// A status that a retry may fix.
    static func isTransient(_ status: HTTPResponseStatus) -> Bool {
        status.code >= 500 || status == .tooManyRequests
    }
}

/// `POST /v1/contracts` with the partner's key, as a partner site submits a self-service contract.
struct PartnerSubmitter: Sendable {
    let client: HTTPClient
    let baseURL: String
    let key: String
    let retryWindow: Duration

    private struct Created: Decodable { var id: UUID }

    func submit(_ data: ContractData) async -> Submitted {
        let body = data.partnerBody()
        return await withRetries(window: retryWindow) {
            var request = HTTPClientRequest(url: baseURL + "/v1/contracts")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Idempotency-Key", value: data.reference)
            request.body = .bytes(ByteBuffer(bytes: body))
            let started = ContinuousClock.now
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                let answer = try await response.body.collect(upTo: 1 << 20)
                AttemptAnswers.shared.record(.partnerAPI, status: Int(response.status.code), took: ContinuousClock.now - started)
                if response.status == .created || response.status == .ok,
                    let created = try? JSONDecoder().decode(Created.self, from: Data(answer.readableBytesView))
                {
                    return .done(created.id)
                }
                if AttemptResult.isTransient(response.status) { return .retry("HTTP \(response.status.code)") }
                return .refused("HTTP \(response.status.code): \(String(buffer: answer).prefix(300))")
            } catch {
                AttemptAnswers.shared.record(.partnerAPI, status: nil, took: ContinuousClock.now - started)
                return .retry("\(error)")
            }
        }
    }
}
