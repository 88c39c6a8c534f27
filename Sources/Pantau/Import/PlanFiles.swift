import Foundation
import PantauDomain

/// Turns files into plan documents and back, in every format, with every problem reported at once.
public enum PlanFiles {
    /// Larger uploads are refused before they are read.
    public static let maximumSize = 50 * 1024 * 1024
    /// The command line reads files an administrator chose, so it allows much larger ones.
    public static let commandLineMaximumSize = 512 * 1024 * 1024

    public static func encode(_ document: PlanDocument, as format: PlanFileFormat) throws -> Data {
        switch format {
        case .json: try PlanJSON.encode(document)
        case .csv: try PlanCSV.encode(PlanTable.rows(document))
        case .xlsx: try PlanXLSX.encode(PlanTable.rows(document), sheetName: document.code, numericColumns: PlanTable.numericColumns)
        }
    }

    /// Reads and checks a whole file. `progress` is told how many rows have been read.
    /// Throws `PlanImportError` listing every problem.
    public static func decode(_ data: Data, as format: PlanFileFormat, maximumSize: Int = maximumSize,
                              progress: (@Sendable (Int) -> Void)? = nil) throws -> PlanDocument {
        guard data.count <= maximumSize else {
            throw PlanImportError([ImportProblem(key: "import.too_large", arguments: ["\(maximumSize / 1024 / 1024)"])])
        }
        guard !data.isEmpty else { throw PlanImportError([ImportProblem(key: "import.empty_file")]) }
        let document: PlanDocument
        switch format {
        case .json:
            document = try PlanJSON.decode(data)
            let problems = document.problems().map {
                ImportProblem(location: $0.location, key: $0.kind.rawValue, arguments: [$0.value])
            }
            guard problems.isEmpty else { throw PlanImportError(problems) }
        case .csv:
            let table = try PlanCSV.decode(data)
            document = try PlanTable.document(header: table.header, rows: table.rows, progress: progress)
        case .xlsx:
            guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
                throw PlanImportError([ImportProblem(key: "import.not_spreadsheet")])
            }
            let rows = try PlanXLSX.decode(data, limits: PlanXLSX.Limits(maximumFileSize: maximumSize))
            guard let header = rows.first else { throw PlanImportError([ImportProblem(row: 1, key: "import.no_rows")]) }
            let body = rows.dropFirst().filter { !$0.cells.allSatisfy { $0.trimmed.isEmpty } }
            document = try PlanTable.document(header: header.cells, rows: Array(body), progress: progress)
        }
        return document
    }
}
