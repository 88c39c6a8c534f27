import Fluent
import Foundation
import PantauDomain
import SQLKit

extension NationalOverview.Figures {
    /// The figures of many plans' periods, read as plain columns rather than models: the overview's first answer
    /// after a start reads every plan's targets and reports (66,000 of each at 550 plans), and decoding them as Fluent
    /// models took seconds. The rules are the same ones `PeriodResults` applies: a target's outcome
    /// (`TargetReportModel.outcome`), a commitment's result (`PeriodResult`), the report (`EvaluationQueries.input`).
    /// - Parameter periods: plans loaded with their semesters, each with a period it has.
    static func load(_ periods: [(plan: ActionPlanModel, period: ReportPeriod)], on database: any Database) async throws -> [Self] {
        guard !periods.isEmpty else { return [] }
        let sql = database as! any SQLDatabase
        let planIDs = try periods.map { try $0.plan.requireID() }
        let semestersOfPlan = try periods.map { try PeriodResults.semestersOf($0.period, plan: $0.plan) }
        let schemes = try await PeriodResults.schemes(of: periods.map(\.plan), on: database)
        let semesterByID = Dictionary(semestersOfPlan.flatMap { $0 }.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })

        struct TargetRow: Decodable {
            let commitment_id: UUID
            let goal_position: Int
            let measure_position: Int
            let measure_text: String
            let organisation_id: UUID
            let target_text: String
            let semester_id: UUID
            let status: ReportStatus?
            let submitted: Int
            let score: Int?
            let not_applicable: Int
        }
        let targets = try await inSlices(Array(semesterByID.keys)) { slice in
            try await sql.raw("""
                SELECT g.commitment_id, g.position AS goal_position, m.position AS measure_position, m.text AS measure_text,
                       m.responsible_organisation_id AS organisation_id, t.text AS target_text, t.semester_id, r.status,
                       CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END AS submitted, r.score,
                       CASE WHEN r.not_applicable THEN 1 ELSE 0 END AS not_applicable
                FROM targets t JOIN success_measures m ON m.id = t.measure_id JOIN goals g ON g.id = m.goal_id
                LEFT JOIN target_reports r ON r.target_id = t.id
                WHERE t.semester_id IN (\(binds: slice))
                """).all(decoding: TargetRow.self)
        }
        struct CommitmentRow: Decodable { let id: UUID; let plan_id: UUID; let number: Int; let title: String }
        let commitments = try await inSlices(planIDs) { slice in
            try await sql.raw("SELECT id, plan_id, number, title FROM commitments WHERE plan_id IN (\(binds: slice))").all(decoding: CommitmentRow.self)
        }
        struct OrganisationRow: Decodable { let id: UUID; let name: String; let kind: OrganisationKind }
        let organisations = Dictionary(try await inSlices(Array(Set(targets.map(\.organisation_id)))) { slice in
            try await sql.raw("SELECT id, name, kind FROM organisations WHERE id IN (\(binds: slice))").all(decoding: OrganisationRow.self)
        }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        let (semesterIDs, yearPlanIDs) = PeriodResults.owners(periods.map(\.period), planIDs: planIDs, semesters: semestersOfPlan)
        struct AssessmentRow: Decodable { let commitment_id: UUID; let owner: UUID; let year: Int?; let score_override: Int?; let cocreation_rating: CoCreationRating? }
        var assessments: [String: AssessmentRow] = [:]
        for row in try await inSlices(semesterIDs, { slice in
            try await sql.raw("""
                SELECT commitment_id, semester_id AS owner, NULL AS year, score_override, cocreation_rating FROM commitment_assessments
                WHERE semester_id IN (\(binds: slice))
                """).all(decoding: AssessmentRow.self)
        }) + (try await inSlices(yearPlanIDs, { slice in
            try await sql.raw("""
                SELECT commitment_id, plan_id AS owner, year, score_override, cocreation_rating FROM year_assessments WHERE plan_id IN (\(binds: slice))
                """).all(decoding: AssessmentRow.self)
        })) {
            assessments["\(row.commitment_id)|\(row.year.map(String.init) ?? "")"] = row
        }
        struct PublicationRow: Decodable { let owner: UUID; let year: Int?; let published_at: Date }
        var publications: [String: Date] = [:]
        for row in try await inSlices(semesterIDs, { slice in
            try await sql.raw("SELECT semester_id AS owner, NULL AS year, published_at FROM semester_publications WHERE semester_id IN (\(binds: slice))")
                .all(decoding: PublicationRow.self)
        }) + (try await inSlices(yearPlanIDs, { slice in
            try await sql.raw("SELECT plan_id AS owner, year, published_at FROM year_publications WHERE plan_id IN (\(binds: slice))")
                .all(decoding: PublicationRow.self)
        })) {
            publications["\(row.owner)|\(row.year.map(String.init) ?? "")"] = row.published_at
        }

        let targetsOfCommitment = Dictionary(grouping: targets, by: \.commitment_id)
        let commitmentsOfPlan = Dictionary(grouping: commitments, by: \.plan_id)
        return try zip(periods, zip(planIDs, semestersOfPlan)).map { entry, ids in
            let (plan, period) = entry
            let (planID, semesters) = ids
            guard let scheme = schemes[plan.$scheme.id] else { throw AppError.notFound(what: "scoring scheme") }
            let yearKey: String
            let publishedAt: Date?
            switch period {
            case .semester:
                yearKey = ""
                publishedAt = semesters.first?.id.flatMap { publications["\($0)|"] }
            case .year(let year):
                yearKey = "\(year)"
                publishedAt = publications["\(planID)|\(year)"]
            }
            let inPeriod = Set(semesters.compactMap(\.id))
            let inputCommitments = try (commitmentsOfPlan[planID] ?? []).sorted { $0.number < $1.number }.map { commitment in
                let rows = (targetsOfCommitment[commitment.id] ?? []).filter { inPeriod.contains($0.semester_id) }
                    .sorted { ($0.goal_position, $0.measure_position, semesterByID[$0.semester_id]?.month ?? 0)
                        < ($1.goal_position, $1.measure_position, semesterByID[$1.semester_id]?.month ?? 0) }
                let lines = rows.compactMap { row -> EvaluationQueries.InputTarget? in
                    guard let organisation = organisations[row.organisation_id], let semester = semesterByID[row.semester_id] else { return nil }
                    return EvaluationQueries.InputTarget(
                        measure: row.measure_text, responsible: organisation.name, responsibleKind: organisation.kind, text: row.target_text,
                        semester: semester.code,
                        outcome: TargetReportModel.outcome(status: row.status, submitted: row.submitted != 0, score: row.score,
                                                           notApplicable: row.not_applicable != 0))
                }
                let assessment = assessments["\(commitment.id)|\(yearKey)"]
                return EvaluationQueries.InputCommitment(
                    number: commitment.number, title: commitment.title,
                    result: try PeriodResult(outcomes: lines.map(\.outcome), scoreOverride: assessment?.score_override, scheme: scheme),
                    rating: assessment?.cocreation_rating, targets: lines)
            }
            let input = EvaluationQueries.input(scheme: scheme, semesters: semesters.map(\.code), commitments: inputCommitments)
            let outcomes = inputCommitments.flatMap(\.targets).map(\.outcome)
            return Self(period: period, publishedAt: publishedAt, report: EvaluationReport(input), input: input, scheme: scheme,
                        targets: outcomes.count, reported: outcomes.filter(\.reported).count, scored: outcomes.filter { $0.score != nil }.count)
        }
    }
}
