extension ValidationPass {
    /// The product, and a start date within the notice period and the horizon.
    mutating func checkProductAndDates() {
        result.productCode = required("productCode", details.productCode, maximum: 32) ?? details.productCode
        let earliest = details.moveIn ? today : today.adding(days: ContractValidator.switchNoticeDays)
        if details.startDate < earliest {
            issue(
                "startDate", "too_early",
                details.moveIn
                    ? "a move-in cannot start in the past"
                    : "a supplier switch starts at least \(ContractValidator.switchNoticeDays) days from today (\(earliest))"
            )
        } else if details.startDate > today.adding(months: ContractValidator.maximumMonthsAhead) {
            issue("startDate", "too_late", "a contract starts at most \(ContractValidator.maximumMonthsAhead) months ahead")
        }
    }
}
