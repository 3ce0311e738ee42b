import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing

@Suite("Contract lifecycle")
struct LifecycleTests {
    /// Every allowed (state, input) pair and where it leads, for a contract that needs a signature and is still inside
    /// its withdrawal period. Every pair not listed must be refused.
    static let allowed: [String: ContractState] = [
        "stored.creditChecked": .approved,
        "stored.needsMKA": .needsMKA,
        "approved.signingRequested": .awaitingSignature,
        "approved.contractSigned": .signed,
        "awaitingSignature.contractSigned": .signed,
        "approved.signingRejected": .needsMKA,
        "awaitingSignature.signingRejected": .needsMKA,
        "approved.signingExpired": .needsMKA,
        "awaitingSignature.signingExpired": .needsMKA,
        "needsMKA.approvedByMKA": .approved,
        "needsMKA.resubmittedByMKA": .stored,
        "needsMKA.rejectedByMKA": .rejected,
        "approved.cancelled": .cancelled,
        "awaitingSignature.cancelled": .cancelled,
        "signed.cancelled": .cancelled,
        "readyForMKA.finalizedByMKA": .finalized,
        "finalized.contractExported": .exported,
        "exportFailed.contractExported": .exported,
        "finalized.exportFailed": .exportFailed,
        "exportFailed.exportFailed": .exportFailed,
        "exportFailed.exportRetryRequested": .exportFailed,
        "stored.stalled": .needsMKA,
        "approved.stalled": .needsMKA,
        "finalized.stalled": .exportFailed,
    ]

    static func input(_ kind: LifecycleInput.Kind) -> LifecycleInput {
        switch kind {
        case .creditChecked: .creditChecked
        case .needsMKA: .needsMKA(reasons: [.creditDenied])
        case .signingRequested: .signingRequested
        case .contractSigned: .contractSigned(at: Samples.now)
        case .signingRejected: .signingRejected
        case .signingExpired: .signingExpired
        case .contractExported: .contractExported
        case .exportFailed: .exportFailed(reason: "timeout")
        case .approvedByMKA: .approvedByMKA(reason: "checked by phone")
        case .resubmittedByMKA: .resubmittedByMKA(newCreditCheck: false)
        case .rejectedByMKA: .rejectedByMKA(reason: "duplicate")
        case .cancelled: .cancelled(reason: "customer withdrew")
        case .finalizedByMKA: .finalizedByMKA
        case .exportRetryRequested: .exportRetryRequested
        case .stalled: .stalled(detail: "kontroll did not answer")
        }
    }

    static let pairs = ContractState.allCases.flatMap { state in LifecycleInput.Kind.allCases.map { (state, $0) } }

    @Test("every state × input pair: allowed pairs move as the table says, every other pair is refused with a reason", arguments: pairs)
    func table(state: ContractState, kind: LifecycleInput.Kind) {
        let facts = Lifecycle.Facts(requiresSignature: true, confirmedAt: nil)
        let result = Lifecycle.apply(Self.input(kind), to: state, facts: facts, now: Samples.now)
        switch (result, Self.allowed["\(state.rawValue).\(kind.rawValue)"]) {
        case (.success(let transition), let expected?):
            #expect(transition.from == state)
            #expect(transition.to == expected)
        case (.failure(let refusal), nil):
            #expect(refusal.state == state)
            #expect(refusal.input == kind)
            #expect(refusal.reason.contains(kind.rawValue) && refusal.reason.contains(state.rawValue))
        case (.success(let transition), nil):
            Issue.record("\(state).\(kind) should be refused but went to \(transition.to)")
        case (.failure(let refusal), _?):
            Issue.record("\(state).\(kind) should be allowed but was refused: \(refusal)")
        }
    }

    @Test("approvals of contracts to be signed and MKA's decisions ask for the matching event; the others ask for none")
    func emissions() throws {
        let facts = Lifecycle.Facts(requiresSignature: false, confirmedAt: Samples.now)
        func emitted(_ input: LifecycleInput, from state: ContractState, signed: Bool = false) throws -> [Lifecycle.Emission] {
            let facts = signed ? Lifecycle.Facts(requiresSignature: true, confirmedAt: nil) : facts
            return try Lifecycle.apply(input, to: state, facts: facts, now: Samples.now).get().emissions
        }
        #expect(try emitted(.creditChecked, from: .stored, signed: true) == [.contractApproved])
        #expect(try emitted(.approvedByMKA(reason: "ok"), from: .needsMKA, signed: true) == [.contractApproved])
        // An approval nobody acts on is not published: no signature, no ContractApproved (signering's only use).
        #expect(try emitted(.creditChecked, from: .stored) == [])
        #expect(try emitted(.approvedByMKA(reason: "ok"), from: .needsMKA) == [])
        #expect(try emitted(.resubmittedByMKA(newCreditCheck: true), from: .needsMKA) == [.contractResubmitted(newCreditCheck: true)])
        #expect(try emitted(.rejectedByMKA(reason: "fake"), from: .needsMKA) == [.contractRejected(reason: "fake")])
        #expect(try emitted(.cancelled(reason: "ånger"), from: .approved) == [.contractCancelled(reason: "ånger")])
        #expect(try emitted(.finalizedByMKA, from: .readyForMKA) == [.specialContractFinalized])
        #expect(try emitted(.exportRetryRequested, from: .exportFailed) == [.exportRetryRequested])
        #expect(try emitted(.needsMKA(reasons: []), from: .stored) == [])
        #expect(try emitted(.contractExported, from: .finalized) == [])
    }

    @Test("signing inputs are refused for a contract that was not sold by calling the customer")
    func signingNeedsOutboundCall() {
        let facts = Lifecycle.Facts(requiresSignature: false, confirmedAt: Samples.now)
        for input in [LifecycleInput.signingRequested, .contractSigned(at: Samples.now), .signingRejected, .signingExpired] {
            guard case .failure(let refusal) = Lifecycle.apply(input, to: .approved, facts: facts, now: Samples.now) else {
                Issue.record("\(input.kind) was allowed")
                continue
            }
            #expect(refusal.reason.contains("not signed"))
        }
    }

    @Test("cancellation is possible for 14 days from the customer's confirmation, and not after")
    func withdrawalPeriod() {
        let confirmed = Samples.now
        let facts = Lifecycle.Facts(requiresSignature: true, confirmedAt: confirmed)
        let inside = confirmed.addingTimeInterval(Lifecycle.withdrawalPeriod - 1)
        let outside = confirmed.addingTimeInterval(Lifecycle.withdrawalPeriod)
        #expect((try? Lifecycle.apply(.cancelled(reason: "x"), to: .signed, facts: facts, now: inside).get())?.to == .cancelled)
        guard case .failure(let refusal) = Lifecycle.apply(.cancelled(reason: "x"), to: .signed, facts: facts, now: outside) else {
            Issue.record("cancelled after the withdrawal period")
            return
        }
        #expect(refusal.reason.contains("withdrawal period ended"))
        // Not yet confirmed (awaiting a signature): always cancellable.
        let unconfirmed = Lifecycle.Facts(requiresSignature: true, confirmedAt: nil)
        #expect(
            (try? Lifecycle.apply(.cancelled(reason: "x"), to: .awaitingSignature, facts: unconfirmed, now: outside.addingTimeInterval(1e7)).get())
                != nil)
    }

    @Test("a contract starts in stored, or in readyForMKA when special; only rejected, cancelled and exported are closed")
    func initialAndOpen() {
        #expect(ContractState.initial(for: .private) == .stored)
        #expect(ContractState.initial(for: .mass) == .stored)
        #expect(ContractState.initial(for: .special) == .readyForMKA)
        #expect(ContractState.allCases.filter { !$0.isOpen } == [.rejected, .cancelled, .exported])
    }

    @Test("docs/lifecycle.md holds exactly the diagram drawn from the state machine")
    func diagramIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/lifecycle.md"), encoding: .utf8)
        #expect(
            document.contains("```mermaid\n\(LifecycleDiagram.mermaid())```"),
            "regenerate the diagram: swift run avtalctl lifecycle-diagram, and paste it into docs/lifecycle.md"
        )
    }
}
