import AvtalBackOffice
import AvtalRuntime
import Foundation
import Hummingbird

/// The flow board (`/flow`, for MKA and operations): the page, the board alone for its five-second refresh
/// (`/flow/board`), and the replay of parked messages (`POST /flow/replay`, CSRF-protected, recorded as the person's).
extension BackOfficePages {
    static let flowRoles: Set<Role> = [.mka, .ops]

    func addFlowBoard(to router: Router<AvtalRequestContext>) {
        guard let board else { return }
        router.get("flow") { request, context -> Response in
            try await auth.guarded(request, context, roles: Self.flowRoles) { _, session in
                var page = BackOfficeAuth.banner(session)
                page.merge(FlowView.context(try await board.snapshot())) { $1 }
                return auth.page("flow", page)
            }
        }
        router.get("flow/board") { request, context -> Response in
            try await auth.guarded(request, context, roles: Self.flowRoles) { _, session in
                var page = BackOfficeAuth.banner(session)
                page.merge(FlowView.context(try await board.snapshot())) { $1 }
                return auth.page("flow-board", page)
            }
        }
        router.post("flow/replay") { request, context -> Response in
            try await auth.guarded(request, context, roles: Self.flowRoles) { body, session in
                let service = body.fields["service"] ?? ""
                let messageId = body.fields["messageId"].flatMap { $0.isEmpty ? nil : $0 }
                if let messageId,
                    !(1...64).contains(messageId.count) || !messageId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                {
                    return auth.page("error", ["title": "Felaktigt meddelande-id", "message": "Meddelandet kunde inte hittas."], status: .badRequest)
                }
                switch try await board.replay(service: service, messageId: messageId, by: session.user) {
                case .unknownService:
                    return auth.page("error", ["title": "Okänd tjänst", "message": "Det finns ingen sådan tjänst."], status: .badRequest)
                case .replayed:
                    return BackOfficeAuth.redirect("/flow")
                }
            }
        }
    }
}
