import CSV
import Foundation

/// CSV in and out: RFC 4180, UTF-8 with a byte-order mark so that spreadsheet programs read it as UTF-8.
enum PlanCSV {
    static func encode(_ rows: [[String]]) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, codecType: UTF8.self, delimiter: ",", newline: .crlf)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let body = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return Data([0xEF, 0xBB, 0xBF]) + body
    }

    static func decode(_ data: Data) throws -> (header: [String], rows: [PlanTable.SourceRow]) {
        let text = try TextDecoding.utf8(data)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false)
        } catch {
            throw PlanImportError([ImportProblem(row: 1, key: "import.csv_unreadable")])
        }
        var rows: [PlanTable.SourceRow] = []
        var number = 1
        while let cells = reader.next() {
            number += 1
            // Blank lines (often at the end of a file saved by a spreadsheet) carry nothing.
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            rows.append(PlanTable.SourceRow(number: number, cells: cells))
        }
        if let error = reader.error {
            throw PlanImportError([ImportProblem(row: number + 1, key: "import.csv_unreadable", arguments: ["\(error)"])])
        }
        return (reader.headerRow ?? [], rows)
    }
}
