import AvtalDomain
import Foundation
import Testing

@Suite("What a transition records besides the state")
struct LifecycleRecordTests {
    let start = LifecycleRecord(needsMKAReasons: [], confirmedAt: nil, resubmittedWithCreditCheck: nil, creditRound: 1)

    @Test("kontroll's reasons are kept; MKA's approval or resubmission clears them")
    func reasons() {
        let waiting = start.after(.needsMKA(reasons: [.creditDenied, .facilityUnknown]))
        #expect(waiting.needsMKAReasons == [.creditDenied, .facilityUnknown])
        #expect(waiting.after(.approvedByMKA(reason: "ok")).needsMKAReasons == [])
        let resubmitted = waiting.after(.resubmittedByMKA(newCreditCheck: false))
        #expect(resubmitted.needsMKAReasons == [] && resubmitted.resubmittedWithCreditCheck == false && resubmitted.creditRound == 1)
    }

    @Test("only MKA's order of a new credit check raises the credit round")
    func creditRound() {
        #expect(start.after(.resubmittedByMKA(newCreditCheck: true)).creditRound == 2)
        #expect(start.after(.creditChecked).creditRound == 1)
    }

    @Test("an export's failure keeps Xellent's words beside the code; a retry keeps them; the export clears both")
    func exportFailure() {
        let failed = start.after(.exportFailed(reason: "Xellent refused the contract: customer_rejected"))
        #expect(failed.needsMKAReasons == [.exportFailed])
        #expect(failed.needsMKADetail == "Xellent refused the contract: customer_rejected")
        #expect(failed.after(.exportRetryRequested) == failed)
        let exported = failed.after(.contractExported)
        #expect(exported.needsMKAReasons == [] && exported.needsMKADetail == nil)
    }

    @Test("a signature confirms the contract at the time it was signed")
    func signature() {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(start.after(.contractSigned(at: at)).confirmedAt == at)
        #expect(start.after(.signingExpired).needsMKAReasons == [.signingExpired])
    }
}
