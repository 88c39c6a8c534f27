import CSV
import Foundation

/// CSV in and out: RFC 4180, UTF-8 with a byte-order mark so that spreadsheet programs read it as UTF-8.
/// Every CSV Pantau writes (plans, open data, the evaluation report) goes through `encode`.
enum PlanCSV {
    /// - Parameter byteOrderMark: spreadsheet programs need it to read UTF-8; the open data leaves it out, because most
    ///   other tools read it into the first column's name.
    static func encode(_ rows: [[String]], byteOrderMark: Bool = true) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, codecType: UTF8.self, delimiter: ",", newline: .crlf)
        for row in rows { try writer.write(row: row.map(neutralised)) }
        writer.stream.close()
        let body = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return byteOrderMark ? Data([0xEF, 0xBB, 0xBF]) + body : body
    }

    static func decode(_ data: Data) throws -> (header: [String], rows: [PlanTable.SourceRow]) {
        let text = try TextDecoding.utf8(data)
        let records: [[String]]
        do {
            records = try CSVRecords.parse(text)
        } catch {
            throw PlanImportError([ImportProblem(row: error.record, key: "import.csv_unclosed_quote")])
        }
        guard let header = records.first else { throw PlanImportError([ImportProblem(row: 1, key: "import.csv_unreadable")]) }
        var rows: [PlanTable.SourceRow] = []
        rows.reserveCapacity(records.count)
        for (offset, cells) in records.enumerated().dropFirst() {
            // Blank lines (often at the end of a file saved by a spreadsheet) carry nothing.
            if cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            rows.append(PlanTable.SourceRow(number: offset + 1, cells: cells.map(restored)))
        }
        return (header.map(restored), rows)
    }

    // MARK: - Formulas

    /// What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"). Scalars, not characters: "\r\n"
    /// or "=" with a combining mark is one character, and a spreadsheet still sees the first scalar.
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell that a spreadsheet would run as a formula gets a leading `'`, which spreadsheets read as "text"
    /// (`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`). Plain numbers such as `-12` or `+3.5` stay numbers. A text
    /// that already starts with `'` and then one of those characters (or another `'`) gets one more, so that
    /// `restored` gives back exactly what was written.
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        if formulaStarts.contains(first) ? !isPlainNumber(cell) : startsWithAddedQuote(cell) { return "'" + cell }
        return cell
    }

    /// The cell as written before `neutralised`: without the one `'` it added.
    static func restored(_ cell: String) -> String {
        startsWithAddedQuote(cell) ? String(cell.unicodeScalars.dropFirst()) : cell
    }

    private static func startsWithAddedQuote(_ cell: String) -> Bool {
        var scalars = cell.unicodeScalars.makeIterator()
        guard scalars.next() == "'", let second = scalars.next() else { return false }
        return second == "'" || formulaStarts.contains(second)
    }

    /// An optional sign, digits, and optionally a decimal point and more digits.
    private static func isPlainNumber(_ cell: String) -> Bool {
        cell.wholeMatch(of: /[+-]?[0-9]+(\.[0-9]+)?/) != nil
    }
}
