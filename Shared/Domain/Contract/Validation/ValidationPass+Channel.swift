extension ValidationPass {
    /// The kind, the sales channel and what goes with them: call direction, partner, seller, Lime and FOA ids.
    mutating func checkKindAndChannel() {
        let wantsBusiness = details.kind != .private
        if (details.customer.type == .business) != wantsBusiness {
            issue(
                "customer.type", "kind_mismatch",
                details.kind == .private
                    ? "a private contract needs a private customer" : "a \(details.kind.rawValue) contract needs a business customer")
        }
        if (details.salesChannel == .foa) != (details.kind == .special) {
            issue("salesChannel", "kind_mismatch", "special contracts, and only they, come from FOA")
        }
        let isPhoneSale = details.salesChannel == .telesales || details.salesChannel == .customerService
        if isPhoneSale && details.callDirection == nil {
            issue("callDirection", "required", "a phone sale must say whether we called the customer or the customer called us")
        }
        if !isPhoneSale && details.callDirection != nil {
            issue("callDirection", "not_applicable", "only phone sales have a call direction")
        }
        if details.salesChannel == .partner && details.partner == nil {
            issue("partner", "required", "a partner's contract must name the partner and its reference")
        }
        if var partner = details.partner {
            partner.partnerId = required("partner.partnerId", partner.partnerId, maximum: 64) ?? partner.partnerId
            partner.externalReference = required("partner.externalReference", partner.externalReference, maximum: 64) ?? partner.externalReference
            result.partner = partner
        }
        if let seller = details.sellerId {
            if isPhoneSale || details.salesChannel == .foa {
                result.sellerId = required("sellerId", seller, maximum: 64)
            } else {
                issue("sellerId", "not_applicable", "only contracts sold by our own sellers name a seller")
            }
        }
        if let lime = details.limeId {
            result.limeId = required("limeId", lime, maximum: 64)
        }
    }
}
