import Foundation
@testable import Pantau
import Testing
import Vapor
import ZIPFoundation

/// Workbooks built to hurt: a cell reference that overflows, one that names a column billions of cells to the
/// right, a row number at the end of Int, a small file that unpacks to hundreds of megabytes. Each is an import
/// problem with a message, never a crash or gigabytes of memory.
@Suite("Plan files: workbooks beyond every limit")
struct WorkbookLimitTests {
    /// A workbook of the given parts; without `xl/workbook.xml` the reader takes `xl/worksheets/sheet1.xml`.
    static func workbook(_ parts: [(path: String, size: Int, bytes: @Sendable (Int, Int) -> Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(part.size), compressionMethod: .deflate,
                                 bufferSize: 1 << 20) { position, size in part.bytes(Int(position), size) }
        }
        return try #require(archive.data)
    }

    static func part(_ path: String, _ text: String) -> (path: String, size: Int, bytes: @Sendable (Int, Int) -> Data) {
        let data = Data(text.utf8)
        return (path, data.count, { position, size in data.subdata(in: position..<position + size) })
    }

    /// A part of `size` bytes: `head`, then `filler` over and over, then `tail`; never held in memory whole.
    static func largePart(_ path: String, size: Int, head: String, filler: UInt8, tail: String)
        -> (path: String, size: Int, bytes: @Sendable (Int, Int) -> Data) {
        let head = Data(head.utf8), tail = Data(tail.utf8)
        let tailStart = size - tail.count
        return (path, size, { position, count in
            var chunk = Data(repeating: filler, count: count)
            if position < head.count {
                let end = min(head.count, position + count)
                chunk.replaceSubrange(0..<end - position, with: head[position..<end])
            }
            if position + count > tailStart {
                let start = max(position, tailStart)
                chunk.replaceSubrange(start - position..<count, with: tail[start - tailStart..<position + count - tailStart])
            }
            return chunk
        })
    }

    static func sheet(_ rows: String) -> (path: String, size: Int, bytes: @Sendable (Int, Int) -> Data) {
        part("xl/worksheets/sheet1.xml", """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetData>\(rows)</sheetData></worksheet>
            """)
    }

    static let header = #"<row r="1"><c r="A1" t="inlineStr"><is><t>plan_code</t></is></c></row>"#

    static func problems(_ data: Data) -> [ImportProblem] {
        PlanFileTests.problems(data, as: .xlsx)
    }

    static func problems(_ decode: () throws -> Void) -> [ImportProblem] {
        do {
            try decode()
            return []
        } catch let error as PlanImportError {
            return error.problems
        } catch {
            return [ImportProblem(key: "unexpected: \(error)")]
        }
    }

    @Test func columnIndexStopsCountingBeyondXFD() {
        #expect(PlanXLSX.columnIndex(ofReference: "A1") == 0)
        #expect(PlanXLSX.columnIndex(ofReference: "q7") == 16)
        #expect(PlanXLSX.columnIndex(ofReference: "XFD1048576") == 16_383)
        #expect(PlanXLSX.columnIndex(ofReference: "XFE2") == PlanXLSX.maximumColumns)
        #expect(PlanXLSX.columnIndex(ofReference: String(repeating: "Z", count: 100) + "2") == PlanXLSX.maximumColumns)
        #expect(PlanXLSX.columnIndex(ofReference: "12") == nil)
        #expect(PlanXLSX.columnIndex(ofReference: "") == nil)
    }

    /// `ZZZZZZZZZZZZZZ2` overflowed the column number (the process stopped); `AAAAAAAA2` padded the row with billions
    /// of empty cells; a column just past XFD, or cells without references marching past it, are as wrong.
    @Test func cellsBeyondTheLastColumnAreAProblem() throws {
        for reference in ["ZZZZZZZZZZZZZZ2", "AAAAAAAA2", "XFE2"] {
            let data = try Self.workbook([Self.sheet(Self.header + #"<row r="2"><c r="\#(reference)" t="inlineStr"><is><t>x</t></is></c></row>"#)])
            #expect(Self.problems(data) == [ImportProblem(row: 2, key: "import.xlsx_column_beyond_limit", arguments: [reference])])
        }
        let unreferenced = String(repeating: "<c/>", count: PlanXLSX.maximumColumns) + #"<c t="inlineStr"><is><t>x</t></is></c>"#
        let data = try Self.workbook([Self.sheet(Self.header + "<row r=\"2\">\(unreferenced)</row>")])
        #expect(Self.problems(data) == [ImportProblem(row: 2, key: "import.xlsx_column_beyond_limit", arguments: ["XFE2"])])
        // XFD itself is a column like any other: the sheet is read, and what is wrong is the plan in it.
        let last = try Self.workbook([Self.sheet(Self.header + #"<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>"#)])
        #expect(!Self.problems(last).contains { $0.key.hasPrefix("import.xlsx_") })
    }

    /// A row numbered at the end of Int made the next row's number overflow.
    @Test func rowsBeyondTheLastRowAreAProblem() throws {
        let data = try Self.workbook([Self.sheet(Self.header + #"<row r="9223372036854775807"><c r="A2"><v>1</v></c></row><row><c r="A3"><v>1</v></c></row>"#)])
        #expect(Self.problems(data) == [ImportProblem(key: "import.xlsx_row_beyond_limit", arguments: ["9223372036854775807", "1048576"])])
        let zero = try Self.workbook([Self.sheet(#"<row r="0"><c r="A1"><v>1</v></c></row>"#)])
        #expect(Self.problems(zero) == [ImportProblem(key: "import.xlsx_row_beyond_limit", arguments: ["0", "1048576"])])
    }

    /// A shared string index of -1 or past the end reads as an empty cell.
    @Test func sharedStringIndexesOutsideTheTableAreEmpty() throws {
        let strings = Self.part("xl/sharedStrings.xml", #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>plan_code</t></si></sst>"#)
        let data = try Self.workbook([strings, Self.sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>-1</v></c><c r="C1" t="s"><v>7</v></c><c r="D1" t="s"><v>x</v></c></row>"#)])
        let rows = try PlanXLSX.decode(data)
        #expect(rows.map(\.cells) == [["plan_code"]])
    }

    /// Every cell left of a filled one is kept: one cell at XFD in each of 400 rows would be 6.5 million cells.
    @Test func tooManyCellsAreAProblem() throws {
        let rows = (2...401).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        let data = try Self.workbook([Self.sheet(Self.header + rows)])
        #expect(data.count < 20_000)
        #expect(Self.problems(data) == [ImportProblem(key: "import.xlsx_too_many_cells", arguments: ["5000000"])])
        // Shared strings count too.
        let strings = Self.part("xl/sharedStrings.xml", "<sst>" + String(repeating: "<si><t>a</t></si>", count: 11) + "</sst>")
        let small = try Self.workbook([strings, Self.sheet(Self.header)])
        #expect(Self.problems { _ = try PlanXLSX.decode(small, limits: PlanXLSX.Limits(cells: 10)) }
            == [ImportProblem(key: "import.xlsx_too_many_cells", arguments: ["10"])])
    }

    /// 266 kB whose shared strings unpack to 256 MB: refused once 50 MB have been unpacked.
    @Test func aPartThatUnpacksBeyondTheLimitIsAProblem() throws {
        let size = 256 * 1024 * 1024
        let bomb = Self.largePart("xl/sharedStrings.xml", size: size, head: "<sst><si><t>", filler: UInt8(ascii: "A"), tail: "</t></si></sst>")
        let data = try Self.workbook([Self.sheet(Self.header), bomb])
        #expect(data.count < 300 * 1024)
        #expect(Self.problems(data) == [ImportProblem(key: "import.xlsx_part_too_large", arguments: ["xl/sharedStrings.xml", "50"])])
    }

    /// Parts each within the limit that together unpack beyond the total.
    @Test func partsThatUnpackBeyondTheTotalAreAProblem() throws {
        let megabyte = 1024 * 1024
        let sheet = Self.largePart("xl/worksheets/sheet1.xml", size: 3 * megabyte / 2, head: "<worksheet><sheetData>", filler: UInt8(ascii: " "),
                                   tail: "</sheetData></worksheet>")
        let strings = Self.largePart("xl/sharedStrings.xml", size: 3 * megabyte / 2, head: "<sst><si><t>", filler: UInt8(ascii: "A"), tail: "</t></si></sst>")
        let data = try Self.workbook([sheet, strings])
        let limits = PlanXLSX.Limits(partSize: 2 * megabyte, totalSize: 2 * megabyte)
        #expect(Self.problems { _ = try PlanXLSX.decode(data, limits: limits) }
            == [ImportProblem(key: "import.xlsx_unpacked_too_large", arguments: ["2"])])
        // Each part alone is within both limits.
        #expect(try PlanXLSX.decode(try Self.workbook([sheet]), limits: limits).isEmpty)
    }

    /// Uploaded through the page: the secretariat reads what is wrong, in its language, and the server goes on.
    @Test(arguments: TestDatabase.allCases)
    func theUploadPageReportsEachLimit(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seknas = try await TestAccounts.secretariatAlone(on: app)
            let overflow = try Self.workbook([Self.sheet(Self.header + #"<row r="2"><c r="ZZZZZZZZZZZZZZ2"><v>1</v></c></row>"#)])
            let refused = try await seknas.postMultipartAndFollow("/admin/plans", fields: [:], file: ("file", "rencana.xlsx", overflow))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Baris 2: Sel ZZZZZZZZZZZZZZ2 berada di luar kolom terakhir lembar kerja (XFD)."), "\(refused.text.prefix(3000))")
            let bomb = try Self.workbook([Self.sheet(Self.header), Self.largePart("xl/sharedStrings.xml", size: 64 * 1024 * 1024, head: "<sst><si><t>",
                                                                                      filler: UInt8(ascii: "A"), tail: "</t></si></sst>")])
            let english = try await seknas.postMultipart("/admin/plans?lang=en", fields: [:], file: ("file", "rencana.xlsx", bomb))
            #expect(english.status == .unprocessableEntity)
            #expect(english.text.contains("The workbook part xl/sharedStrings.xml unpacks to more than 50 MB."))
            #expect(try await seknas.get("/admin/plans").status == .ok)
        }
    }
}
