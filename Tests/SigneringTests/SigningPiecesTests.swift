import AvtalDomain
import AvtalGetAccept
import AvtalSecrets
import AvtalTestSupport
import Foundation
import Testing

@testable import Signering

@Suite("Signing pieces")
struct SigningPiecesTests {
    static func document(
        status: String?, isSigned: Bool? = nil, method: Components.Schemas.SigningMethod._TypePayload? = nil
    )
        -> Components.Schemas.Document
    {
        var document = Components.Schemas.Document()
        document.id = "ga-1"
        document.externalId = "ext-1"
        document.status = status
        document.isSigned = isSigned
        var recipient = Components.Schemas.Recipient()
        recipient.id = "rc-1"
        recipient.role = "signer"
        if let method { recipient.signingMethods = [.init(signedAt: "2026-11-29T10:00:00Z", _type: method)] }
        document.recipients = [recipient]
        return document
    }

    @Test(
        "GetAccept's statuses map to ours",
        arguments: [
            ("sent", SigningDocument.Status.pending), ("viewed", .pending), ("draft", .pending), ("signed", .signed), ("rejected", .rejected),
            ("expired", .expired), ("recalled", .recalled), ("deleted", .recalled),
        ])
    func statuses(status: String, expected: SigningDocument.Status) {
        #expect(GetAcceptSigning.map(Self.document(status: status))?.status == expected)
    }

    @Test("signed: the method and time come from the signer's signing method")
    func signed() {
        let bankId = GetAcceptSigning.map(Self.document(status: "signed", isSigned: true, method: .eid))
        #expect(bankId?.method == .bankId)
        #expect(bankId?.signedAt == ISO8601DateFormatter().date(from: "2026-11-29T10:00:00Z"))
        #expect(bankId?.recipientId == "rc-1")
        #expect(GetAcceptSigning.map(Self.document(status: "signed", method: .sms))?.method == .sms)
        #expect(GetAcceptSigning.map(Self.document(status: "viewed", isSigned: true))?.status == .signed, "is_signed wins")
        var anonymous = Self.document(status: "signed")
        anonymous.id = nil
        #expect(GetAcceptSigning.map(anonymous) == nil, "a document without an id is no document")
    }

    @Test("the webhook secret is compared in constant time and never matches empty")
    func secrets() {
        #expect(SecretTokens.equal("s3cret", "s3cret"))
        #expect(!SecretTokens.equal("s3cre", "s3cret"))
        #expect(!SecretTokens.equal("s3cret-and-more", "s3cret"))
        #expect(!SecretTokens.equal("", ""))
    }

    @Test("the request goes to the business's signer, else the customer, with the contract as its text")
    func request() {
        let contractId = UUID()
        let round = SigningRound(
            contractId: contractId, round: 2, state: .intended, method: .sms, documentId: nil, expiresAt: Date(timeIntervalSince1970: 0))
        let business = SigningHandlers.request(for: round, details: Samples.outboundBusinessContract())
        #expect(business.signer.firstName == "Bo" && business.signer.companyName == "Exempel AB")
        #expect(business.externalId == "\(contractId.uuidString.lowercased())-signing-2")
        #expect(business.text.contains("ELAVTAL \(contractId.uuidString.lowercased())"))
        let customer = SigningHandlers.request(for: round, details: Samples.privateContract())
        #expect(customer.signer.lastName == "Andersson" && customer.signer.email == Samples.privateContract().customer.email)
    }

    @Test("only rounds that ended unsigned allow a new one")
    func rounds() {
        let allowing = [SigningRound.State.intended, .live, .signed, .rejected, .expired, .recalled, .failed].filter(\.allowsNewRound)
        #expect(allowing == [.rejected, .expired, .recalled, .failed])
    }
}
