extension ValidationPass {
    /// The facilities: at least one, each metering point valid and listed once.
    mutating func checkFacilities() {
        if details.facilities.isEmpty {
            issue("facilities", "required", "at least one facility is required")
        } else if details.facilities.count > ContractValidator.maximumFacilities {
            issue("facilities", "too_many", "at most \(ContractValidator.maximumFacilities) facilities")
        }
        var seen = Set<String>()
        for (index, facility) in details.facilities.enumerated() {
            let prefix = "facilities[\(index)]"
            if let id = facility.meteringPointId {
                let normalised = check("\(prefix).meteringPointId", MeteringPointId.parse(id))?.value
                result.facilities[index].meteringPointId = normalised
                if let normalised, !seen.insert(normalised).inserted {
                    issue("\(prefix).meteringPointId", "duplicate", "the same facility is listed twice")
                }
            }
            if let consumption = facility.annualConsumptionKwh, !(1...100_000_000).contains(consumption) {
                issue("\(prefix).annualConsumptionKwh", "range", "must be between 1 and 100 000 000 kWh")
            }
            if let facilityAddress = facility.address {
                result.facilities[index].address = address("\(prefix).address", facilityAddress)
            }
        }
    }
}
