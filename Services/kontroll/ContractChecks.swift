public import AvtalCreditBureau
public import AvtalDomain
public import AvtalMailGateway
public import AvtalRegisters
public import AvtalThirdParty
public import Foundation

/// The checks of one standard contract (the seed's "checks of a stored contract"): customer lookup, facility lookups,
/// the credit-check rule, the credit check and its notification e-mail.
///
/// External effects are safe to repeat: the credit check and the e-mail are made under references derived from the
/// contract and its credit round, the bureau is first asked what happened to the reference (after a crash it answers
/// instead of checking again), and both providers do at most one thing per reference.
public struct ContractChecks: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var reasons: [NeedsMKAReason]
        public var findings: CheckFindings
        public var decision: CreditCheckRule.Decision
        public var report: CreditReport?
        /// The reference the notification e-mail went out under, when a credit check was made.
        public var mailReference: String?
    }

    private let customers: any CustomerRegister
    private let facilities: any FacilityRegister
    private let bureau: any CreditBureau
    private let mail: any MailGateway

    public init(customers: any CustomerRegister, facilities: any FacilityRegister, bureau: any CreditBureau, mail: any MailGateway) {
        self.customers = customers
        self.facilities = facilities
        self.bureau = bureau
        self.mail = mail
    }

    public static func creditReference(contractId: UUID, round: Int) -> String {
        "\(contractId.uuidString.lowercased())-credit-\(round)"
    }

    /// Runs every check and collects every reason (not only the first). `lastAttempt`: on the message's last attempt,
    /// an unavailable bureau becomes a reason for MKA instead of an error to retry. `creditCheckOrdered`: MKA ordered a
    /// new credit check for this round, which is made whatever the rule would say.
    /// How many facilities are looked up at once: a mass contract's 1 000 in ~63 rounds instead of 1 000.
    static let lookupConcurrency = 16

    /// Each facility's register record (nil without an anläggnings-ID, or unknown), in the contract's order, at most
    /// ``lookupConcurrency`` asked at once; the first failure ends the rest.
    func records(of facilities: [Facility]) async throws(ThirdPartyError) -> [FacilityRecord?] {
        let register = self.facilities
        let ids = facilities.map(\.meteringPointId)
        do {
            return try await withThrowingTaskGroup(of: (Int, FacilityRecord?).self) { group in
                var records = [FacilityRecord?](repeating: nil, count: ids.count)
                var next = 0
                var running = 0
                while next < ids.count || running > 0 {
                    while next < ids.count, running < Self.lookupConcurrency {
                        let index = next
                        let id = ids[index]
                        group.addTask {
                            guard let id else { return (index, nil) }
                            return (index, try await register.facility(meteringPointId: id))
                        }
                        next += 1
                        running += 1
                    }
                    guard let (index, record) = try await group.next() else { break }
                    running -= 1
                    records[index] = record
                }
                return records
            }
        } catch let error as ThirdPartyError {
            throw error
        } catch {
            throw ThirdPartyError(.unavailable, system: "facility register", "the look-ups were cancelled")
        }
    }

    public func check(
        contractId: UUID,
        snapshot: ContractDetails,
        possibleDuplicateOf: [UUID],
        creditRound: Int,
        creditCheckOrdered: Bool = false,
        lastAttempt: Bool
    ) async throws(ThirdPartyError) -> Outcome {
        var reasons: [NeedsMKAReason] = []
        let customer = snapshot.customer
        let identity = customer.personalIdentityNumber ?? customer.organizationNumber ?? ""
        let registered = try await customers.customer(identity: identity)
        var known: [FacilityRecord] = []
        if let registered, RegisterComparison.customerConflicts(customer, registered: registered) {
            reasons.append(.customerConflict)
        }
        for (facility, record) in zip(snapshot.facilities, try await records(of: snapshot.facilities)) {
            if let record { known.append(record) }
            reasons += RegisterComparison.facilityReasons(facility, record: record, startDate: snapshot.startDate, moveIn: snapshot.moveIn)
        }
        if !possibleDuplicateOf.isEmpty { reasons.append(.possibleDuplicate) }

        let decision = CreditCheckRule.decide(
            contractCustomer: customer,
            registered: registered.map {
                CreditCheckRule.RegisteredCustomer(type: $0.type == "business" ? .business : .private, isSoleProprietorship: $0.isSoleProprietorship)
            },
            orderedByMKA: creditCheckOrdered
        )
        var report: CreditReport?
        var mailReference: String?
        var sentNotice: (to: String, at: Date)?
        if decision.isRequired {
            let reference = Self.creditReference(contractId: contractId, round: creditRound)
            do {
                report = try await bureau.report(reference: reference)
                if report == nil { report = try await bureau.check(CreditCheckRequest(reference: reference, subject: identity)) }
            } catch  where error.code == .unavailable && lastAttempt {
                reasons.append(.creditUnavailable)
            }
            if let made = report {
                switch made.outcome {
                case .approved: break
                case .denied: reasons.append(.creditDenied)
                case .referred: reasons.append(.creditReferred)
                }
                if let email = customer.email {
                    let notice = Self.notice(report: made, to: email)
                    try await mail.send(notice)
                    mailReference = notice.reference
                    sentNotice = (email, Date())
                }
            }
        }
        let findings = CheckFindings(
            existingCustomer: registered != nil, customerNumber: registered?.customerNumber, knownFacilities: known.map(\.meteringPointId),
            registeredCustomer: registered, facilityRecords: known,
            creditCheckPerformed: report != nil, creditRule: decision.reason, creditOutcome: report?.outcome.rawValue,
            creditNoticeRecipient: sentNotice?.to, creditNoticeSentAt: sentNotice?.at
        )
        return Outcome(reasons: Array(Set(reasons)).sorted(), findings: findings, decision: decision, report: report, mailReference: mailReference)
    }

    /// The business's own e-mail that a credit check was made: when, by which bureau, and why.
    static func notice(report: CreditReport, to email: String) -> OutgoingMail {
        OutgoingMail(
            reference: "\(report.reference)-mail",
            to: email,
            subject: "Vi har gjort en kreditupplysning",
            text: """
                Hej! När du tecknade elavtal hos oss gjorde vi en kreditupplysning hos \(report.bureau) \
                den \(Timestamp.string(report.checkedAt).prefix(10)). Vi gör det för nya kunder och när ett avtal \
                tecknas i en annan egenskap (privat eller som enskild firma) än tidigare. Du får också en kopia \
                från kreditupplysningsföretaget.
                """
        )
    }
}
