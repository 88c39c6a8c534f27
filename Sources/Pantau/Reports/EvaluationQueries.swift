import Fluent
import Foundation
import PantauDomain

/// Reads what an evaluation report needs for a plan and a period, and builds the report.
enum EvaluationQueries {
    struct Built {
        let plan: ActionPlanModel
        let period: ReportPeriod
        let semesters: [PlanSemesterModel]
        let report: EvaluationReport
        /// What the report was counted from: the overview counts several plans' together.
        let input: EvaluationInput
        let scheme: ScoringScheme
        /// Whether the period (the semester, or the year on its own) is published.
        let isPublished: Bool
        let results: PeriodResults
    }

    /// The semesters and years of a plan (loaded with its semesters) whose results are published, in time order.
    static func publishedPeriods(of plan: ActionPlanModel, on database: any Database) async throws -> [ReportPeriod] {
        try await PublishedPeriods.load(plans: [plan.requireID()], on: database).of(plan)
    }

    static func parsePeriod(semester: String?, year: String?) throws -> ReportPeriod {
        if let semester, !semester.isEmpty {
            guard Semester.month(fromCode: semester) != nil else { throw AppError.invalid(key: "report.bad_period", arguments: [semester]) }
            return .semester(semester)
        }
        if let year, let value = Int(year), (2000...2100).contains(value) { return .year(value) }
        throw AppError.invalid(key: "report.bad_period", arguments: [year ?? ""])
    }

    static func build(planCode: String, period: ReportPeriod, on database: any Database) async throws -> Built {
        built(from: try await PeriodResults.load(planCode: planCode, period: period, on: database))
    }

    /// The reports of several plans, each for its own period, read together (`PeriodResults.load(_:)`).
    static func build(_ periods: [(plan: ActionPlanModel, period: ReportPeriod)], on database: any Database) async throws -> [Built] {
        try await PeriodResults.load(periods, on: database).map(built(from:))
    }

    static func built(from results: PeriodResults) -> Built {
        var targets: [EvaluationInput.Target] = []
        for commitment in results.commitments {
            for row in commitment.rows {
                let outcome = row.outcome
                targets.append(EvaluationInput.Target(
                    commitmentNumber: commitment.number, measure: row.measure.text, responsible: row.responsible.name,
                    responsibleKind: row.responsible.kind, text: row.target.text, semester: row.semester.code,
                    score: outcome.score, reported: outcome.reported))
            }
        }
        // A commitment's result for a year is the year's own: every target of the year, and the year's assessment.
        let input = EvaluationInput(
            scheme: results.scheme, targets: targets,
            commitments: results.commitments.map {
                EvaluationInput.Commitment(number: $0.number, title: $0.title, score: $0.result.finalScore, rating: $0.assessment.rating,
                                           scoredTargets: $0.result.coverage.scored, targets: $0.result.coverage.targets)
            },
            semesters: results.semesters.map(\.code))
        return Built(plan: results.plan, period: results.period, semesters: results.semesters, report: EvaluationReport(input), input: input,
                     scheme: results.scheme, isPublished: results.isPublished, results: results)
    }
}
