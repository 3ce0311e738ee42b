import AvtalBackOffice
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOCore
import Testing

@testable import Webbavtal

/// The internal form's upload: posted forms (url-encoded and multipart) and a mass contract's facilities read from a
/// CSV file or an XLSX workbook — the workbooks written by openpyxl and, Excel-style, by hand
/// (`Tests/fixtures/spreadsheets/make.py`).
@Suite("Posted forms and uploaded spreadsheets")
struct UploadTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        try Fixtures.bytes("spreadsheets/\(name)")
    }

    static func lines(_ name: String, _ bytes: [UInt8]) -> Result<[String], FacilityFile.Problem> {
        FacilityFile.lines(PostedForm.File(filename: name, bytes: bytes))
    }

    static func lines(_ text: String) -> Result<[String], FacilityFile.Problem> {
        lines("lista.csv", Array(text.utf8))
    }

    @Test("a multipart form: its text fields (CRLF as newlines), its file with a quoted name, an empty file input left out")
    func multipart() throws {
        let body = [
            "--XyZ", #"Content-Disposition: form-data; name="_csrf""#, "", "token", "--XyZ",
            #"Content-Disposition: form-data; name="facilities""#, "", "a; SE3", "b; SE4", "--XyZ",
            #"Content-Disposition: form-data; name="facilitiesFile"; filename="lista \"maj\";2.csv""#, "Content-Type: text/csv", "",
            "1;SE1", "--XyZ", #"Content-Disposition: form-data; name="other"; filename="""#, "Content-Type: application/octet-stream", "", "",
            "--XyZ--", "",
        ].joined(separator: "\r\n")
        let form = try #require(PostedForm(ByteBuffer(string: body), contentType: "multipart/form-data; boundary=XyZ"))
        #expect(form.fields["_csrf"] == "token")
        #expect(form.fields["facilities"] == "a; SE3\nb; SE4")
        #expect(form.files["facilitiesFile"] == PostedForm.File(filename: #"lista "maj";2.csv"#, bytes: Array("1;SE1".utf8)))
        #expect(form.files["other"] == nil)
    }

    @Test("what no page of ours sends is not a form: another type, no boundary, a part without a name, broken url-encoding")
    func notForms() {
        let part = "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n"
        #expect(PostedForm(ByteBuffer(string: part), contentType: "multipart/form-data; boundary=B") == nil)
        #expect(PostedForm(ByteBuffer(string: "x"), contentType: "multipart/form-data") == nil)
        #expect(PostedForm(ByteBuffer(string: "not a multipart body"), contentType: "multipart/form-data; boundary=B") == nil)
        #expect(PostedForm(ByteBuffer(string: "{}"), contentType: "application/json") == nil)
        #expect(PostedForm(ByteBuffer(string: "a[=1"), contentType: "application/x-www-form-urlencoded") == nil)
        #expect(PostedForm(ByteBuffer(string: "a=1&b=two+words"), contentType: nil)?.fields["b"] == "two words")
        for broken in ["a=%zz", "a=%4", "a=%ff", "a%=1", "a]=1", "a[b]=1", "ok=1&a[=2"] {
            #expect(PostedForm(ByteBuffer(string: broken), contentType: "application/x-www-form-urlencoded") == nil, "\(broken)")
        }
        let form = PostedForm(ByteBuffer(string: "=x&&a=%C3%A5+%2B&b&a=2"), contentType: "application/x-www-form-urlencoded")
        #expect(form?.fields.values == ["a": "2", "b": ""])
        #expect(PostedForm(ByteBuffer(string: "a=%C3%A5+%2B"), contentType: nil)?.fields["a"] == "å +")
    }

    @Test("CSV: the separator is the first line's, a heading row is skipped, quotes and blank lines are read as CSV")
    func csv() {
        let id = Samples.meteringPointId(5)
        #expect(Self.lines("Anläggnings-ID;Elområde;Förbrukning\n\(id);SE3;12000\n\n;SE2\n") == .success(["\(id); SE3; 12000", "; SE2"]))
        #expect(Self.lines("\(id),se1,\"12000\"\r\n\"\(id)\",SE4\r\n") == .success(["\(id); se1; 12000", "\(id); SE4"]))
        #expect(Self.lines("\(id)\tSE3\t5000\n") == .success(["\(id); SE3; 5000"]))
        // Windows-1252, as Swedish Excel saves "CSV (semikolonavgränsad)": the heading's å and ö.
        let latin1: [UInt8] = Array("Anl".utf8) + [0xE4] + Array("ggning;Elomr".utf8) + [0xE5] + Array("de\n\(id);SE3\n".utf8)
        #expect(Self.lines("lista.csv", latin1) == .success(["\(id); SE3"]))
        #expect(Self.lines("lista.csv", [0xEF, 0xBB, 0xBF] + Array("\(id);SE3\n".utf8)) == .success(["\(id); SE3"]), "a BOM is dropped")
    }

    @Test("more than 1 000 rows, a binary file or a broken workbook is refused as a whole")
    func refused() throws {
        let rows = (0...1_000).map { "\(Samples.meteringPointId($0));SE3" }.joined(separator: "\n")
        #expect(Self.lines(rows) == .failure(.tooManyRows(limit: 1_000)))
        #expect(
            Self.lines("Anläggnings-ID;Elområde\n" + rows.split(separator: "\n").dropFirst().joined(separator: "\n")).map(\.count) == .success(1_000))
        #expect(Self.lines("bild.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]) == .failure(.unreadable))
        #expect(Self.lines("trasig.xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]) == .failure(.unreadable))
        #expect(Self.lines("bomb.xlsx", try Self.fixture("bomb.xlsx")) == .failure(.unreadable), "a part unpacking to 9 MiB")
    }

    @Test("XLSX by openpyxl: the first sheet's 1 000 rows under a heading, inline strings and numbers; the second sheet ignored")
    func openpyxlWorkbook() throws {
        let lines = try Self.lines("mass-1000.xlsx", try Self.fixture("mass-1000.xlsx")).get()
        #expect(lines.count == 1_000)
        #expect(lines.first == "\(Samples.meteringPointId(20_014)); SE4; 40001")
        #expect(lines.last == "\(Samples.meteringPointId(30_004)); SE4; 41000")
        #expect(!lines.contains { $0.contains("SE9") })
    }

    @Test("XLSX as Excel writes it: shared strings with rich-text runs, a relative sheet target, skipped cells and rows")
    func excelWorkbook() throws {
        let lines = try Self.lines("excel-style.xlsx", try Self.fixture("excel-style.xlsx")).get()
        let ids = [40_014, 40_024, 40_034].map(Samples.meteringPointId)
        #expect(lines == ["\(ids[0]); SE4; 15000", "\(ids[1]); SE4", "\(ids[2]); SE4; 7000"])
    }

    @Test("anläggnings-IDs the spreadsheet kept as numbers (their digits lost) are refused by row, never read as another ID")
    func idsAsNumbers() throws {
        #expect(Self.lines("ids-as-numbers.xlsx", try Self.fixture("ids-as-numbers.xlsx")) == .failure(.idsStoredAsNumbers(rows: [2, 3])))
        #expect(
            Self.lines("Anläggnings-ID;Elområde\n7,35999E+17;SE3\n\(Samples.meteringPointId(9));SE3\n") == .failure(.idsStoredAsNumbers(rows: [2])))
        #expect(FacilityFile.issue(.idsStoredAsNumbers(rows: [2, 3])).message == "2, 3")
        #expect(FacilityFile.isScientificNumber("7.35999E+17") && FacilityFile.isScientificNumber("7.359994000009999e+17"))
        #expect(!FacilityFile.isScientificNumber(Samples.meteringPointId(9)) && !FacilityFile.isScientificNumber("SE3"))
    }

    @Test("cell references: A1 is column 0, Z 25, AA 26, AB7 27")
    func columns() {
        #expect(["A1", "Z9", "AA1", "AB7", "1"].map(XLSXSheet.column) == [0, 25, 26, 27, nil])
    }
}
