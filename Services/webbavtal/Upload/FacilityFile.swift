public import AvtalBackOffice
public import AvtalDomain
import Foundation

/// A mass contract's facilities uploaded as a spreadsheet: an XLSX workbook's first sheet, or a CSV file (comma,
/// semicolon or tab separated; UTF-8 or, as Swedish Excel saves it, Windows-1252). Each non-blank row becomes one
/// facility line of the form — `anläggnings-ID; elområde; årsförbrukning` — for ``FacilityLines`` to read and the
/// validator to check, so a bad row is shown with its line number like a typed one. A first row without any digit or
/// price area is a heading and skipped. Pure.
public enum FacilityFile {
    public enum Problem: Error, Equatable {
        /// Neither an XLSX workbook nor text.
        case unreadable
        /// More rows than a contract may have facilities.
        case tooManyRows(limit: Int)
        /// Anläggnings-IDs the spreadsheet keeps as numbers (`7.35999E+17`): a number holds 15–17 digits, so the
        /// 18-digit ID is lost. The rows (1-based, as the spreadsheet counts them) where it happened.
        case idsStoredAsNumbers(rows: [Int])
    }

    /// The rows read, heading and blank rows left out, as the form's facility lines.
    public static func lines(_ file: PostedForm.File) -> Result<[String], Problem> {
        let rows: [[String]]
        if XLSXSheet.isWorkbook(file.bytes) {
            guard let sheet = try? XLSXSheet.firstSheet(of: file.bytes, maximumRows: ContractValidator.maximumFacilities + 2) else {
                return .failure(.unreadable)
            }
            rows = sheet
        } else {
            guard let text = text(file.bytes), let table = CSVRows.read(text, maximumRows: ContractValidator.maximumFacilities + 2) else {
                return .failure(.unreadable)
            }
            rows = table
        }
        let numbered = rows.enumerated().map { index, cells in
            (row: index + 1, cells: Array(cells.map { $0.trimmingCharacters(in: .whitespaces) }.reversed().drop { $0.isEmpty }.reversed()))
        }.filter { !$0.cells.isEmpty }
        let lost = numbered.filter { isScientificNumber($0.cells[0]) }.map(\.row)
        guard lost.isEmpty else { return .failure(.idsStoredAsNumbers(rows: lost)) }
        var lines = numbered.map(\.cells)
        if let first = lines.first, isHeading(first) { lines.removeFirst() }
        guard lines.count <= ContractValidator.maximumFacilities else { return .failure(.tooManyRows(limit: ContractValidator.maximumFacilities)) }
        return .success(lines.map { $0.joined(separator: "; ") })
    }

    /// The problem as the form shows it, next to the facility list.
    public static func issue(_ problem: Problem) -> ValidationIssue {
        switch problem {
        case .unreadable: ValidationIssue(field: "facilities", code: "file_unreadable", message: "the file is neither CSV nor XLSX")
        case .tooManyRows(let limit): ValidationIssue(field: "facilities", code: "too_many", message: "at most \(limit) facilities")
        case .idsStoredAsNumbers(let rows):
            ValidationIssue(
                field: "facilities", code: "ids_as_numbers",
                message: rows.prefix(10).map(String.init).joined(separator: ", ") + (rows.count > 10 ? " …" : ""))
        }
    }

    /// A number as a spreadsheet writes a large one: `7.35999E+17`, `7,35999E+17`.
    static func isScientificNumber(_ cell: String) -> Bool {
        cell.wholeMatch(of: /[0-9]+([.,][0-9]+)?[eE]\+?[0-9]+/) != nil
    }

    /// A row with no digit and no price area: column names, not a facility.
    static func isHeading(_ cells: [String]) -> Bool {
        !cells.contains { cell in cell.contains(where: \.isNumber) || PriceArea(rawValue: cell.uppercased()) != nil }
    }

    /// The file as text: UTF-8 (a byte-order mark dropped), else Windows-1252; nil for binary content.
    static func text(_ bytes: [UInt8]) -> String? {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard !body.contains(0) else { return nil }
        return String(validating: body, as: UTF8.self) ?? String(data: Data(body), encoding: .windowsCP1252)
    }
}
