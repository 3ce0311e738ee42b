import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing

@Suite("Event envelope")
struct EnvelopeCodingTests {
    let contractId = UUID()

    @Test("an envelope survives encoding and decoding unchanged, to the millisecond")
    func roundTrip() throws {
        let occurredAt = Date(timeIntervalSince1970: 1_790_000_000.123)
        let envelope = EventEnvelope(
            payload: ContractStored(contractId: contractId, snapshot: Samples.outboundBusinessContract()),
            contractId: contractId,
            occurredAt: occurredAt
        )
        let bytes = try EnvelopeCoding.encode(envelope)
        let decoded = try EnvelopeCoding.decode(ContractStored.self, from: bytes)
        #expect(decoded == envelope)
        #expect(try EnvelopeCoding.decodeHeader(bytes) == envelope.header)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""occurredAt":"2026-09-21T14:13:20.123Z""#))
    }

    @Test("the wire format names every field of the envelope")
    func wireFormat() throws {
        let envelope = EventEnvelope(payload: NeedsMKA(contractId: contractId, reasons: [.creditDenied]), contractId: contractId)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(EnvelopeCoding.encode(envelope))) as? [String: Any])
        #expect(Set(json.keys) == ["messageId", "type", "version", "occurredAt", "contractId", "correlationId", "payload"])
        #expect(json["type"] as? String == "NeedsMKA")
        #expect(json["version"] as? Int == 1)
    }

    @Test("an event caused by another shares its correlation and names it as its cause")
    func causation() {
        let first = EventEnvelope(payload: ContractStored(contractId: contractId, snapshot: Samples.privateContract()), contractId: contractId)
        let second = EventEnvelope(payload: CreditChecked(contractId: contractId, outcome: .approved), causedBy: first.header, contractId: contractId)
        #expect(first.correlationId == first.messageId)
        #expect(second.correlationId == first.correlationId)
        #expect(second.causationId == first.messageId)
        #expect(second.messageId != first.messageId)
    }

    @Test(
        "bodies that are not a usable envelope are refused with a reason that names the field, never the data",
        arguments: [
            ("not json at all", "invalid JSON"),
            (#"{"type":"ContractStored"}"#, "missing 'messageId'"),
            (#"{"messageId":"x","type":"A","version":1,"occurredAt":"2026-01-01T00:00:00Z","correlationId":"x"}"#, "messageId"),
            (
                #"{"messageId":"6F9619FF-8B86-D011-B42D-00C04FC964FF","type":"","version":1,"occurredAt":"2026-01-01T00:00:00Z","correlationId":"6F9619FF-8B86-D011-B42D-00C04FC964FF"}"#,
                "empty type"
            ),
            (
                #"{"messageId":"6F9619FF-8B86-D011-B42D-00C04FC964FF","type":"A","version":0,"occurredAt":"2026-01-01T00:00:00Z","correlationId":"6F9619FF-8B86-D011-B42D-00C04FC964FF"}"#,
                "version below 1"
            ),
            (
                #"{"messageId":"6F9619FF-8B86-D011-B42D-00C04FC964FF","type":"A","version":1,"occurredAt":"yesterday","correlationId":"6F9619FF-8B86-D011-B42D-00C04FC964FF"}"#,
                "occurredAt"
            ),
        ]
    )
    func malformedHeaders(body: String, reason: String) {
        #expect {
            try EnvelopeCoding.decodeHeader(Array(body.utf8))
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }

    @Test("a payload that does not fit its type is refused, naming the field")
    func malformedPayload() throws {
        let envelope = EventEnvelope(payload: CreditChecked(contractId: contractId, outcome: .approved), contractId: contractId)
        let body = String(decoding: try EnvelopeCoding.encode(envelope), as: UTF8.self).replacingOccurrences(of: #""approved""#, with: #""maybe""#)
        #expect { try EnvelopeCoding.decode(CreditChecked.self, from: Array(body.utf8)) } throws: { error in
            String(describing: error).contains("payload.outcome")
        }
    }
}

@Suite("Reasons for MKA on the wire")
struct NeedsMKAReasonCodingTests {
    @Test("a NeedsMKA carrying a code we do not know does not decode (the consumer parks it)")
    func unknownCode() throws {
        let id = UUID()
        let known = EventEnvelope(payload: NeedsMKA(contractId: id, reasons: [.creditDenied]), contractId: id)
        let bytes = try EnvelopeCoding.encode(known)
        #expect(try EnvelopeCoding.decode(NeedsMKA.self, from: bytes).payload.reasons == [.creditDenied])
        let tampered = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "credit.denied", with: "credit.maybe").utf8)
        #expect(throws: (any Error).self) { try EnvelopeCoding.decode(NeedsMKA.self, from: tampered) }
    }
}
