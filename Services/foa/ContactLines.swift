public import AvtalDomain

/// The contact persons as the FOA form takes them: one per line, `namn; e-post; telefon`. Pure.
public enum ContactLines {
    public static func parse(_ text: String) -> [ContactPerson] {
        text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }.map { line in
            let cells = line.split(separator: line.contains("\t") ? "\t" : ";", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            func cell(_ index: Int) -> String? { cells.count > index && !cells[index].isEmpty ? cells[index] : nil }
            return ContactPerson(name: cells[0], email: cell(1), phone: cell(2))
        }
    }

    public static func format(_ contacts: [ContactPerson]) -> String {
        contacts.map { [$0.name, $0.email ?? "", $0.phone ?? ""].joined(separator: "; ") }.joined(separator: "\n")
    }
}
