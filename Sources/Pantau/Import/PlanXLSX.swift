import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// A minimal Office Open XML workbook: one sheet of text cells (numbers where a column holds numbers).
/// Written with fixed timestamps so the same rows give the same bytes; read back from any workbook
/// (shared or inline strings) as LibreOffice and Excel save them.
enum PlanXLSX {
    private static let fixedDate = Date(timeIntervalSince1970: 1_577_836_800) // 2020-01-01

    static func encode(_ rows: [[String]], sheetName: String, numericColumns: Set<Int>) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(escape(String(sheetName.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)
        // Style 1 is the bold header row.
        try add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>
            """)
        var sheet = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0">\
            <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>
            """
        for (rowIndex, row) in rows.enumerated() {
            sheet += "<row r=\"\(rowIndex + 1)\">"
            for (columnIndex, value) in row.enumerated() where !value.isEmpty {
                let reference = columnName(columnIndex) + "\(rowIndex + 1)"
                if rowIndex > 0, numericColumns.contains(columnIndex), Int(value) != nil {
                    sheet += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                } else {
                    let style = rowIndex == 0 ? " s=\"1\"" : ""
                    sheet += "<c r=\"\(reference)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(value))</t></is></c>"
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        try add("xl/worksheets/sheet1.xml", sheet)
        guard let data = archive.data else { throw PlanImportError([ImportProblem(key: "import.not_spreadsheet")]) }
        return data
    }

    /// What reading a workbook may cost. Pantau's own export of a plan of 40,000 targets is a 50 MB sheet (about
    /// 1.2 kB of XML per row, 17 cells); a small file that unpacks to gigabytes, or a sheet of millions of cells, is
    /// refused with a problem instead.
    struct Limits: Sendable {
        /// Bytes one part (the sheet, the shared strings, ...) may unpack to.
        var partSize: Int
        /// Bytes every part read may unpack to together.
        var totalSize: Int
        /// Cells kept of the sheet (counting the empty ones left of a filled cell), and shared strings.
        var cells: Int

        init(partSize: Int, totalSize: Int, cells: Int = 5_000_000) {
            self.partSize = partSize
            self.totalSize = totalSize
            self.cells = cells
        }

        /// A part may unpack to as much as the file may hold, all parts to twice that: 50 MB and 100 MB for an upload
        /// through the page, 512 MB and 1 GB for the command line, which reads files an administrator chose.
        init(maximumFileSize: Int = PlanFiles.maximumSize, cells: Int = 5_000_000) {
            self.init(partSize: maximumFileSize, totalSize: 2 * maximumFileSize, cells: cells)
        }
    }

    /// XFD, the last column of Excel and LibreOffice.
    static let maximumColumns = 16_384
    /// The last row of Excel and LibreOffice.
    static let maximumRows = 1_048_576

    /// Rows of the first worksheet, numbered as the workbook numbers them.
    static func decode(_ data: Data, limits: Limits = Limits()) throws -> [PlanTable.SourceRow] {
        let notSpreadsheet = PlanImportError([ImportProblem(key: "import.not_spreadsheet")])
        guard let archive = try? Archive(data: data, accessMode: .read) else { throw notSpreadsheet }
        struct TooLarge: Error { let problem: ImportProblem }
        var unpacked = 0
        // Counts what is really unpacked, not the sizes the archive declares, and stops at the first byte too many.
        func read(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var result = Data()
            result.reserveCapacity(Int(min(entry.uncompressedSize, UInt64(limits.partSize))))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    result.append(chunk)
                    unpacked += chunk.count
                    if result.count > limits.partSize {
                        throw TooLarge(problem: ImportProblem(key: "import.xlsx_part_too_large", arguments: [String(path.prefix(100)), megabytes(limits.partSize)]))
                    }
                    if unpacked > limits.totalSize {
                        throw TooLarge(problem: ImportProblem(key: "import.xlsx_unpacked_too_large", arguments: [megabytes(limits.totalSize)]))
                    }
                }
            } catch let tooLarge as TooLarge {
                throw PlanImportError([tooLarge.problem])
            } catch {
                return nil
            }
            return result
        }
        let sheetPath = firstSheetPath(workbook: try read("xl/workbook.xml"), relationships: try read("xl/_rels/workbook.xml.rels"))
        guard let sheetData = try read(sheetPath) else { throw notSpreadsheet }
        let sharedStrings = try read("xl/sharedStrings.xml").map { try SharedStringsParser.parse($0, maximumCount: limits.cells) } ?? []
        return try SheetParser.parse(sheetData, sharedStrings: sharedStrings, maximumCells: limits.cells)
    }

    private static func megabytes(_ bytes: Int) -> String {
        "\(bytes / 1024 / 1024)"
    }

    private static func firstSheetPath(workbook: Data?, relationships: Data?) -> String {
        guard let workbook, let relationships,
              let relationID = FirstAttributeParser.value(in: workbook, element: "sheet", attribute: "r:id"),
              let target = RelationshipParser.target(in: relationships, id: relationID) else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// The 0-based column of a cell reference such as "AB12": nil without column letters; `maximumColumns` or more
    /// for a column beyond XFD (counted no further, so that no reference overflows).
    static func columnIndex(ofReference reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            let letter: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): letter = byte - UInt8(ascii: "A") + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): letter = byte - UInt8(ascii: "a") + 1
            default: return letters == 0 ? nil : index - 1
            }
            index = min(index * 26 + Int(letter), maximumColumns + 1)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            // XML 1.0 cannot carry most control characters; drop them rather than write an unreadable file.
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
