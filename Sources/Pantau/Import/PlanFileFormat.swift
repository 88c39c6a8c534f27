import Foundation

/// The ways a plan moves in and out of Pantau.
public enum PlanFileFormat: String, CaseIterable, Codable, Sendable {
    /// The whole plan, every field (`Resources/Plans/plan.schema.json`).
    case json
    /// One row per target (`docs/plan-spreadsheet.md`).
    case csv
    /// The same rows as CSV, in a workbook.
    case xlsx

    /// By the file name's extension, else by the first bytes (a ZIP is a workbook, `{` is JSON).
    public static func detect(fileName: String?, data: Data) -> PlanFileFormat {
        if let name = fileName?.lowercased() {
            for format in allCases where name.hasSuffix("." + format.rawValue) { return format }
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        let firstByte = data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return firstByte == UInt8(ascii: "{") ? .json : .csv
    }

    public var mediaType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}
