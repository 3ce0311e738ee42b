import CSV
import Foundation

/// A CSV file's rows, read by CSV.swift (RFC 4180: quoted cells, quotes doubled inside them, line breaks in quotes).
/// The separator is the first line's: a tab, else a semicolon (Swedish Excel's, the decimal comma's neighbour), else a
/// comma. Pure.
enum CSVRows {
    /// The rows, at most `maximumRows` of them (the rest are not read); nil when the text is not CSV.
    static func read(_ text: String, maximumRows: Int) -> [[String]]? {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        let delimiter: UnicodeScalar = firstLine.contains("\t") ? "\t" : firstLine.contains(";") ? ";" : ","
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false, trimFields: true, delimiter: delimiter) else { return nil }
        var rows: [[String]] = []
        while rows.count < maximumRows, let row = reader.next() { rows.append(row) }
        return reader.error == nil ? rows : nil
    }
}
