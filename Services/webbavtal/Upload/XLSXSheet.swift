import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The first worksheet of an XLSX workbook (Office Open XML, ECMA-376) as rows of cell texts: the ZIP archive read by
/// ZIPFoundation, its XML parts by Foundation's `XMLParser`. The sheet is the workbook's first `<sheet>`, found
/// through the workbook's relationships; shared strings, inline strings, numbers and booleans are read as the text
/// they hold (a number as it is stored: an anläggnings-ID typed as a number has lost its digits, and the validator
/// says so). No part may unpack to more than ``maximumPartBytes`` (a ZIP bomb stops there) and no cell lie beyond
/// ``maximumColumns``. Pure.
enum XLSXSheet {
    struct Unreadable: Error {}

    static let maximumPartBytes = 8 << 20
    /// A facility has at most four cells; a sheet using more than this many columns is not a facility list.
    static let maximumColumns = 64

    /// Whether the bytes are a ZIP archive, as every XLSX file is.
    static func isWorkbook(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// The rows of the first sheet, at most `maximumRows` (the rest are not read); each row's cells by column, a
    /// missing cell as "".
    static func firstSheet(of bytes: [UInt8], maximumRows: Int) throws -> [[String]] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= maximumPartBytes else { throw Unreadable() }
            var data = Data()
            _ = try archive.extract(entry) { chunk in
                data.append(chunk)
                if data.count > maximumPartBytes { throw Unreadable() }
            }
            return data
        }
        guard let workbook = try part("xl/workbook.xml"), let relations = try part("xl/_rels/workbook.xml.rels") else { throw Unreadable() }
        guard let sheetId = Elements.first("sheet", attribute: "r:id", in: workbook),
            let target = Elements.relationshipTarget(id: sheetId, in: relations)
        else { throw Unreadable() }
        let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheet = try part(path) else { throw Unreadable() }
        let shared = try part("xl/sharedStrings.xml").map(SharedStrings.read) ?? []
        return try SheetRows.read(sheet, shared: shared, maximumRows: maximumRows)
    }

    /// The zero-based column of a cell reference: `A1` → 0, `AB7` → 27.
    static func column(of reference: String) -> Int? {
        let letters = reference.prefix { $0.isLetter }
        guard !letters.isEmpty, letters.count <= 3 else { return nil }
        return letters.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
    }

    /// Small look-ups in a part: an attribute of the first element of a name, a relationship's target.
    final class Elements: NSObject, XMLParserDelegate {
        private let matches: (String, [String: String]) -> String?
        private(set) var found: String?

        private init(_ matches: @escaping (String, [String: String]) -> String?) {
            self.matches = matches
        }

        static func first(_ element: String, attribute: String, in data: Data) -> String? {
            search(data) { name, attributes in name == element ? attributes[attribute] : nil }
        }

        static func relationshipTarget(id: String, in data: Data) -> String? {
            search(data) { name, attributes in name == "Relationship" && attributes["Id"] == id ? attributes["Target"] : nil }
        }

        private static func search(_ data: Data, _ matches: @escaping (String, [String: String]) -> String?) -> String? {
            let parser = XMLParser(data: data)
            let delegate = Elements(matches)
            parser.delegate = delegate
            parser.parse()
            return delegate.found
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            if let value = matches(name, attributes) {
                found = value
                parser.abortParsing()
            }
        }
    }

    /// `xl/sharedStrings.xml`: each `<si>`'s text, its runs joined, phonetic hints (`<rPh>`) left out.
    final class SharedStrings: NSObject, XMLParserDelegate {
        private var strings: [String] = []
        private var current: String?
        private var inText = false
        private var inPhonetic = false

        static func read(_ data: Data) throws -> [String] {
            let parser = XMLParser(data: data)
            let delegate = SharedStrings()
            parser.delegate = delegate
            guard parser.parse() else { throw Unreadable() }
            return delegate.strings
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            switch name {
            case "si": current = ""
            case "rPh": inPhonetic = true
            case "t": inText = !inPhonetic
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current? += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "si":
                strings.append(current ?? "")
                current = nil
            case "rPh": inPhonetic = false
            case "t": inText = false
            default: break
            }
        }
    }

    /// A worksheet's `<row>`s and their `<c>` cells: `t="s"` a shared string's index, `t="inlineStr"` the text in
    /// `<is>`, `t="b"` a boolean, anything else the `<v>` as written.
    final class SheetRows: NSObject, XMLParserDelegate {
        private let shared: [String]
        private let maximumRows: Int
        private var rows: [[String]] = []
        private var row: [String]?
        private var cellColumn = 0
        private var cellType: String?
        private var text: String?
        private var failed = false

        private init(shared: [String], maximumRows: Int) {
            self.shared = shared
            self.maximumRows = maximumRows
        }

        static func read(_ data: Data, shared: [String], maximumRows: Int) throws -> [[String]] {
            let parser = XMLParser(data: data)
            let delegate = SheetRows(shared: shared, maximumRows: maximumRows)
            parser.delegate = delegate
            let completed = parser.parse()
            guard !delegate.failed, completed || delegate.rows.count >= maximumRows else { throw Unreadable() }
            return delegate.rows
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            switch name {
            case "row": row = []
            case "c":
                cellColumn = attributes["r"].flatMap(XLSXSheet.column) ?? (row?.count ?? 0)
                cellType = attributes["t"]
                text = nil
            case "v", "t": text = text ?? ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "c":
                guard var current = row, cellColumn < XLSXSheet.maximumColumns else { return fail(parser) }
                let raw = text ?? ""
                let value: String
                switch cellType {
                case "s":
                    guard let index = Int(raw), shared.indices.contains(index) else { return fail(parser) }
                    value = shared[index]
                case "b": value = raw == "1" ? "TRUE" : "FALSE"
                default: value = raw
                }
                if current.count <= cellColumn { current += Array(repeating: "", count: cellColumn - current.count + 1) }
                current[cellColumn] = value
                row = current
            case "row":
                rows.append(row ?? [])
                row = nil
                if rows.count >= maximumRows { parser.abortParsing() }
            default: break
            }
        }

        private func fail(_ parser: XMLParser) {
            failed = true
            parser.abortParsing()
        }
    }
}
