public import AvtalDomain
import Foundation

/// The form's facilities as text, one facility per line, as a seller types them or pastes them from a spreadsheet:
/// `anläggnings-ID; elområde; årsförbrukning` separated by semicolons or tabs. The ID may be left empty (MKA completes
/// it) and the consumption left out, so `; SE3` is a facility whose ID the customer did not know. Pure.
public enum FacilityLines {
    /// What a line could not say; `line` counts from 0, like `facilities[i]` in validation issues.
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var field: String
        public var code: String

        public init(line: Int, field: String, code: String) {
            self.line = line
            self.field = field
            self.code = code
        }
    }

    /// The facilities on the non-blank lines, and what is wrong with the ones that cannot be read. Identifiers are
    /// not checked here: that is ``ContractValidator``'s work, which names the same `facilities[i]` indices.
    /// `withPrice`: a fourth cell is the facility's negotiated price in öre/kWh (special contracts).
    public static func parse(_ text: String, withPrice: Bool = false) -> (facilities: [Facility], problems: [Problem]) {
        var facilities: [Facility] = []
        var problems: [Problem] = []
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            let cells = line.split(separator: line.contains("\t") ? "\t" : ";", omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces }
            let id = cells[0].filter { !$0.isWhitespace }
            let areaText = cells.count > 1 ? cells[1].uppercased() : ""
            var area = PriceArea(rawValue: areaText)
            if area == nil {
                problems.append(Problem(line: index, field: "priceArea", code: areaText.isEmpty ? "required" : "format"))
                area = .se3
            }
            var consumption: Int?
            if cells.count > 2, !cells[2].isEmpty {
                consumption = Int(cells[2].filter { !$0.isWhitespace })
                if consumption == nil { problems.append(Problem(line: index, field: "annualConsumptionKwh", code: "format")) }
            }
            var price: Decimal?
            if withPrice, cells.count > 3, !cells[3].isEmpty {
                price = Decimal(string: cells[3].replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX"))
                if price == nil { problems.append(Problem(line: index, field: "priceOrePerKwh", code: "format")) }
            }
            if cells.count > (withPrice ? 4 : 3) { problems.append(Problem(line: index, field: "meteringPointId", code: "too_many_cells")) }
            facilities.append(
                Facility(meteringPointId: id.isEmpty ? nil : id, priceArea: area ?? .se3, annualConsumptionKwh: consumption, priceOrePerKwh: price))
        }
        return (facilities, problems)
    }

    /// The facilities as the form shows them again.
    public static func format(_ facilities: [Facility]) -> String {
        facilities.map { facility in
            var cells = [facility.meteringPointId ?? "", facility.priceArea.rawValue]
            cells.append(facility.annualConsumptionKwh.map(String.init) ?? "")
            if let price = facility.priceOrePerKwh { cells.append("\(price)") }
            while cells.last == "" { cells.removeLast() }
            return cells.joined(separator: "; ")
        }.joined(separator: "\n")
    }
}
