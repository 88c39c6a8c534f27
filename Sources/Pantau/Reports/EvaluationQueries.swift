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

    static func built(from results: PeriodResults) -> Built {
        let input = self.input(scheme: results.scheme, semesters: results.semesters.map(\.code), commitments: results.commitments.map { commitment in
            InputCommitment(number: commitment.number, title: commitment.title, result: commitment.result, rating: commitment.assessment.rating,
                            targets: commitment.rows.map {
                                InputTarget(measure: $0.measure.text, responsible: $0.responsible.name, responsibleKind: $0.responsible.kind,
                                            text: $0.target.text, semester: $0.semester.code, outcome: $0.outcome)
                            })
        })
        return Built(plan: results.plan, period: results.period, semesters: results.semesters, report: EvaluationReport(input), input: input,
                     scheme: results.scheme, isPublished: results.isPublished, results: results)
    }

    /// A commitment's period result and its targets, however they were read (`PeriodResults`, or plain columns for
    /// the national overview): `input` makes the report's input of them.
    struct InputCommitment {
        let number: Int
        let title: String
        let result: PeriodResult
        let rating: CoCreationRating?
        let targets: [InputTarget]
    }

    struct InputTarget {
        let measure: String
        let responsible: String
        let responsibleKind: OrganisationKind
        let text: String
        let semester: String
        let outcome: TargetOutcome
    }

    /// A commitment's result for a year is the year's own: every target of the year, and the year's assessment.
    static func input(scheme: ScoringScheme, semesters: [String], commitments: [InputCommitment]) -> EvaluationInput {
        EvaluationInput(
            scheme: scheme,
            targets: commitments.flatMap { commitment in
                commitment.targets.map {
                    EvaluationInput.Target(commitmentNumber: commitment.number, measure: $0.measure, responsible: $0.responsible,
                                           responsibleKind: $0.responsibleKind, text: $0.text, semester: $0.semester,
                                           score: $0.outcome.score, reported: $0.outcome.reported)
                }
            },
            commitments: commitments.map {
                EvaluationInput.Commitment(number: $0.number, title: $0.title, score: $0.result.finalScore, rating: $0.rating,
                                           scoredTargets: $0.result.coverage.scored, targets: $0.result.coverage.targets)
            },
            semesters: semesters)
    }
}
