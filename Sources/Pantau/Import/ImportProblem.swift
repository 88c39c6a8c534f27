import Foundation
import PantauDomain

/// One thing wrong with an imported file, pointing at the row and column (spreadsheets) or the place in
/// the plan (JSON) where a person will find it. `key` names the message in the localisation files.
public struct ImportProblem: Hashable, Sendable {
    /// 1-based row as a spreadsheet numbers it (the header is row 1).
    public var row: Int?
    /// The column's name in the header.
    public var column: String?
    public var location: PlanLocation?
    public var key: String
    public var arguments: [String]

    public init(row: Int? = nil, column: String? = nil, location: PlanLocation? = nil, key: String, arguments: [String] = []) {
        self.row = row
        self.column = column
        self.location = location
        self.key = key
        self.arguments = arguments
    }
}

/// A file that cannot be imported, with every problem found in it. Nothing has been written.
public struct PlanImportError: Error, LocalizableError {
    public let problems: [ImportProblem]

    public init(_ problems: [ImportProblem]) {
        self.problems = problems
    }

    public var messageKey: String { "import.failed" }
    public var messageArguments: [String] { ["\(problems.count)"] }
}

extension Localizer {
    /// "Baris 12, kolom semester: Semester 'B30' tidak dikenal." in the reader's language.
    public func describe(_ problem: ImportProblem, _ language: Language) -> String {
        var place: [String] = []
        if let row = problem.row { place.append(text("import.at_row", language, ["\(row)"])) }
        if let column = problem.column { place.append(text("import.at_column", language, [column])) }
        if let location = problem.location {
            if let commitment = location.commitment { place.append(text("import.at_commitment", language, ["\(commitment)"])) }
            if let goal = location.goal { place.append(text("import.at_goal", language, ["\(goal)"])) }
            if let measure = location.measure { place.append(text("import.at_measure", language, ["\(measure)"])) }
            if let semester = location.semester { place.append(semester) }
        }
        let message = text(problem.key, language, problem.arguments)
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }

    /// The headline and one line per problem, at most `limit` of them so a wrong file does not flood the screen.
    public func describe(_ error: PlanImportError, _ language: Language, limit: Int = 50) -> [String] {
        var lines = [self.message(for: error, language)] + error.problems.prefix(limit).map { "  - " + describe($0, language) }
        if error.problems.count > limit {
            lines.append("  " + text("import.more_problems", language, ["\(error.problems.count - limit)"]))
        }
        return lines
    }
}
