import Foundation
import PantauDomain

/// The spreadsheet layout shared by CSV and XLSX: one row per target, the plan's matrix and nothing else.
/// Columns are documented in `docs/plan-spreadsheet.md`.
enum PlanTable {
    enum Column: String, CaseIterable {
        case planCode = "plan_code"
        case planTitle = "plan_title"
        case planPeriodStart = "plan_period_start"
        case planPeriodEnd = "plan_period_end"
        case scoringScheme = "scoring_scheme"
        case commitmentNumber = "commitment_number"
        case commitmentTitle = "commitment_title"
        case goalNumber = "goal_number"
        case goal
        case measureNumber = "measure_number"
        case measure
        case responsibleOrganisation = "responsible_organisation"
        case responsibleAcronym = "responsible_acronym"
        case responsibleKind = "responsible_kind"
        case expectedEvidence = "expected_evidence"
        case semester
        case target
    }

    static let header = Column.allCases.map(\.rawValue)

    /// Columns a hand-made sheet may leave out: without numbers, consecutive rows with the same text
    /// form one goal or measure.
    static let optionalColumns: Set<Column> = [.goalNumber, .measureNumber, .responsibleAcronym, .expectedEvidence, .scoringScheme]

    /// Columns that hold whole numbers, written as numbers in workbooks.
    static let numericColumns: Set<Int> = Set([Column.commitmentNumber, .goalNumber, .measureNumber].map { header.firstIndex(of: $0.rawValue)! })

    /// The header row followed by one row per target (a measure with no target still gets one row,
    /// with an empty semester, so that nothing of the matrix is lost).
    static func rows(_ document: PlanDocument) -> [[String]] {
        let organisations = Dictionary(document.organisations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var rows = [header]
        func row(_ commitment: CommitmentRecord, goal: (number: Int, text: String)?, measure: (number: Int, record: MeasureRecord)?,
                 target: TargetRecord?) -> [String] {
            let responsible = measure.flatMap { organisations[$0.record.responsible] }
            return [
                document.code, document.title, document.periodStart.iso, document.periodEnd.iso, document.scoringScheme,
                "\(commitment.number)", commitment.title, goal.map { "\($0.number)" } ?? "", goal?.text ?? "",
                measure.map { "\($0.number)" } ?? "", measure?.record.text ?? "", measure?.record.responsible ?? "",
                responsible?.acronym ?? "", responsible?.kind.rawValue ?? "", measure?.record.expectedEvidence ?? "",
                target?.semester ?? "", target?.text ?? "",
            ]
        }
        for commitment in document.commitments {
            if commitment.goals.isEmpty { rows.append(row(commitment, goal: nil, measure: nil, target: nil)) }
            for (goalIndex, goal) in commitment.goals.enumerated() {
                let goalCell = (number: goalIndex + 1, text: goal.text)
                if goal.measures.isEmpty { rows.append(row(commitment, goal: goalCell, measure: nil, target: nil)) }
                for (measureIndex, measure) in goal.measures.enumerated() {
                    let measureCell = (number: measureIndex + 1, record: measure)
                    if measure.targets.isEmpty { rows.append(row(commitment, goal: goalCell, measure: measureCell, target: nil)) }
                    for target in measure.targets { rows.append(row(commitment, goal: goalCell, measure: measureCell, target: target)) }
                }
            }
        }
        return rows
    }

    /// A numbered row as the file gives it (1-based, the header is row 1).
    struct SourceRow {
        let number: Int
        let cells: [String]
    }

    /// Builds the plan from its rows, collecting every problem with its row and column. Consecutive rows
    /// with the same commitment, goal and measure build up one commitment, goal and measure.
    static func document(header: [String], rows: [SourceRow], progress: ((Int) -> Void)? = nil) throws -> PlanDocument {
        var problems: [ImportProblem] = []
        let trimmedHeader = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [Column: Int] = [:]
        for column in Column.allCases {
            if let position = trimmedHeader.firstIndex(of: column.rawValue) {
                index[column] = position
            } else if !optionalColumns.contains(column) {
                problems.append(ImportProblem(row: 1, column: column.rawValue, key: "import.missing_column"))
            }
        }
        guard problems.isEmpty else { throw PlanImportError(problems) }
        guard let first = rows.first else { throw PlanImportError([ImportProblem(row: 2, key: "import.no_rows")]) }

        func value(_ row: SourceRow, _ column: Column) -> String {
            guard let position = index[column] else { return "" }
            return position < row.cells.count ? String(row.cells[position].trimmed) : ""
        }
        func problem(_ row: SourceRow, _ column: Column, _ key: String, _ arguments: String...) {
            problems.append(ImportProblem(row: row.number, column: column.rawValue, key: key, arguments: arguments))
        }

        // The plan itself comes from the first row; every row must agree with it.
        let code = value(first, .planCode)
        let periodStart = YearMonth(iso: value(first, .planPeriodStart))
        let periodEnd = YearMonth(iso: value(first, .planPeriodEnd))
        if periodStart == nil { problem(first, .planPeriodStart, "import.invalid_month", value(first, .planPeriodStart)) }
        if periodEnd == nil { problem(first, .planPeriodEnd, "import.invalid_month", value(first, .planPeriodEnd)) }
        let semesters: [Semester]
        if let periodStart, let periodEnd, periodStart <= periodEnd {
            let months = (periodEnd.year - periodStart.year) * 12 + periodEnd.month - periodStart.month + 1
            semesters = Semester.schedule(startingIn: periodStart, months: months)
        } else {
            semesters = []
        }
        let semesterCodes = Set(semesters.map(\.code))
        let scheme = value(first, .scoringScheme).isEmpty ? ScoringScheme.ogi.code : value(first, .scoringScheme)

        var organisations: [String: (record: OrganisationRecord, row: Int)] = [:]
        var organisationOrder: [String] = []
        var commitments: [CommitmentRecord] = []
        var closedCommitments = Set<Int>()
        var startedCommitment = false
        var currentGoalNumber: String?
        var currentMeasureNumber: String?

        for (offset, row) in rows.enumerated() {
            if offset % 1000 == 0 { progress?(offset) }
            if value(row, .planCode) != code { problem(row, .planCode, "import.plan_code_differs", value(row, .planCode), code) }

            let numberText = value(row, .commitmentNumber)
            guard let number = Int(numberText), number > 0 else {
                problem(row, .commitmentNumber, "import.invalid_commitment_number", numberText)
                continue
            }
            let title = value(row, .commitmentTitle)
            if commitments.last?.number != number {
                if closedCommitments.contains(number) {
                    problem(row, .commitmentNumber, "plan.duplicate_commitment", numberText)
                    continue
                }
                if let previous = commitments.last?.number { closedCommitments.insert(previous) }
                if title.isEmpty { problem(row, .commitmentTitle, "plan.empty_commitment_title") }
                commitments.append(CommitmentRecord(number: number, title: title))
                startedCommitment = true
            } else if title != commitments[commitments.count - 1].title {
                problem(row, .commitmentTitle, "import.commitment_title_differs", numberText)
            }

            let goalText = value(row, .goal)
            let measureText = value(row, .measure)
            let semester = value(row, .semester)
            let targetText = value(row, .target)
            if goalText.isEmpty {
                if !measureText.isEmpty || !semester.isEmpty || !targetText.isEmpty { problem(row, .goal, "plan.empty_goal") }
                continue
            }
            var commitment = commitments.removeLast()
            defer { commitments.append(commitment) }
            let goalNumber = value(row, .goalNumber)
            if goalNumber != currentGoalNumber || (goalNumber.isEmpty && commitment.goals.last?.text != goalText) || commitment.goals.isEmpty
                || startedCommitment {
                commitment.goals.append(GoalRecord(text: goalText, measures: []))
                currentGoalNumber = goalNumber
                currentMeasureNumber = nil
            } else if commitment.goals.last?.text != goalText {
                problem(row, .goal, "import.goal_text_differs", goalNumber)
            }
            startedCommitment = false
            if measureText.isEmpty {
                if !semester.isEmpty || !targetText.isEmpty { problem(row, .measure, "plan.empty_measure") }
                continue
            }

            let organisationName = value(row, .responsibleOrganisation)
            if organisationName.isEmpty {
                problem(row, .responsibleOrganisation, "plan.missing_responsible")
            } else {
                let kindText = value(row, .responsibleKind)
                let acronym = value(row, .responsibleAcronym)
                if kindText.isEmpty {
                    problem(row, .responsibleKind, "import.kind_missing", organisationName)
                } else if let kind = organisationKind(kindText) {
                    if let known = organisations[organisationName] {
                        if known.record.kind != kind {
                            problem(row, .responsibleKind, "import.kind_conflict", organisationName, "\(known.row)")
                        }
                    } else {
                        organisations[organisationName] = (OrganisationRecord(name: organisationName, acronym: acronym.isEmpty ? nil : acronym, kind: kind), row.number)
                        organisationOrder.append(organisationName)
                    }
                } else {
                    problem(row, .responsibleKind, "import.kind_unknown", kindText)
                }
            }

            var goal = commitment.goals.removeLast()
            let evidence = value(row, .expectedEvidence)
            let measureNumber = value(row, .measureNumber)
            let sameMeasure: Bool
            if let last = goal.measures.last, measureNumber == currentMeasureNumber {
                // Numbered rows belong together by number; unnumbered ones by their text.
                sameMeasure = !measureNumber.isEmpty
                    || (last.text == measureText && last.responsible == organisationName && last.expectedEvidence == evidence)
                if sameMeasure, last.text != measureText || last.responsible != organisationName || last.expectedEvidence != evidence {
                    problem(row, .measure, "import.measure_differs", measureNumber)
                }
            } else {
                sameMeasure = false
            }
            if !sameMeasure {
                goal.measures.append(MeasureRecord(text: measureText, responsible: organisationName, expectedEvidence: evidence, targets: []))
                currentMeasureNumber = measureNumber
            }
            if !semester.isEmpty || !targetText.isEmpty {
                if !semesterCodes.contains(semester) {
                    problem(row, .semester, "plan.unknown_semester", semester)
                } else if goal.measures[goal.measures.count - 1].targets.contains(where: { $0.semester == semester }) {
                    problem(row, .semester, "plan.duplicate_target", semester)
                } else {
                    goal.measures[goal.measures.count - 1].targets.append(TargetRecord(semester: semester, text: targetText))
                }
            }
            commitment.goals.append(goal)
        }
        progress?(rows.count)

        let document = PlanDocument(
            code: code, title: value(first, .planTitle),
            periodStart: periodStart ?? YearMonth(year: 2000, month: 1)!, periodEnd: periodEnd ?? YearMonth(year: 2000, month: 1)!,
            semesters: semesters, scoringScheme: scheme,
            organisations: organisationOrder.map { organisations[$0]!.record },
            commitments: commitments)
        // Rules of the plan as a whole (its code, title, period) are reported against the first row.
        for planProblem in document.problems() where planProblem.location.commitment == nil {
            problems.append(ImportProblem(row: first.number, key: planProblem.kind.rawValue, arguments: [planProblem.value]))
        }
        guard problems.isEmpty else { throw PlanImportError(problems) }
        return document
    }

    /// Accepts the stored codes and the labels people write: K/L, OMS, Unit DPR, ...
    static func organisationKind(_ text: String) -> OrganisationKind? {
        // Most files spell the kind exactly as Pantau writes it; the rest is matched loosely.
        if let kind = OrganisationKind(rawValue: text) { return kind }
        let lowercased = text.lowercased()
        if let kind = OrganisationKind(rawValue: lowercased) { return kind }
        let normalised = lowercased.filter { $0 != " " }
        switch normalised {
        case "k/l", "kl", "pemerintah", "government": return .governmentAgency
        case "oms", "cso", "ngo", "masyarakatsipil": return .civilSociety
        case "unitdpr", "dpr", "parlemen", "parliament": return .parliamentUnit
        case "organisasiinternasional", "internasional", "international": return .internationalOrganisation
        default: return nil
        }
    }
}
