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
        let scheme: ScoringScheme
        /// Whether every semester of the period is published.
        let isPublished: Bool
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
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$code == planCode)
            .with(\.$semesters).with(\.$scheme) { $0.with(\.$categories) }.first() else { throw AppError.planNotFound(code: planCode) }
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        let semesters = plan.semesters.sorted { $0.month < $1.month }.filter { semester in
            switch period {
            case .semester(let code): semester.code == code
            case .year(let year): semester.endDate.hasPrefix(String(year))
            }
        }
        guard let last = semesters.last else { throw AppError.notFound(what: "semester") }
        let semesterIDs = semesters.map { $0.id! }
        let published = try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).count() == semesters.count

        let commitments = try await CommitmentModel.query(on: database).filter(\.$plan.$id == plan.requireID())
            .with(\.$goals) { $0.with(\.$measures) { $0.with(\.$responsible).with(\.$targets) } }.sort(\.$number).all()
        let targetIDs = commitments.flatMap { $0.goals.flatMap { $0.measures.flatMap { $0.targets.filter { semesterIDs.contains($0.$semester.id) }.map { $0.id! } } } }
        let reports = try await TargetReportModel.query(on: database).filter(\.$target.$id ~~ targetIDs).filter(\.$status == .scored).all()
        let scores = Dictionary(reports.compactMap { report in report.domainScore.map { (report.$target.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let codes = Dictionary(uniqueKeysWithValues: semesters.map { ($0.id!, $0.code) })

        var targets: [EvaluationInput.Target] = []
        for commitment in commitments {
            for goal in commitment.goals.sorted(by: { $0.position < $1.position }) {
                for measure in goal.measures.sorted(by: { $0.position < $1.position }) {
                    for target in measure.targets where codes[target.$semester.id] != nil {
                        targets.append(EvaluationInput.Target(
                            commitmentNumber: commitment.number, measure: measure.text, responsible: measure.responsible.name,
                            responsibleKind: measure.responsible.kind, text: target.text, semester: codes[target.$semester.id]!,
                            score: scores[target.id!]))
                    }
                }
            }
        }
        // A commitment's result for a year is its result in the year's last semester.
        let results = try await CommitmentResults.results(planID: plan.requireID(), semesterID: last.requireID(), language: .id, on: database)
        let input = EvaluationInput(
            scheme: scheme, targets: targets,
            commitments: results.map { EvaluationInput.Commitment(number: $0.number, title: $0.title, score: $0.finalScore, rating: $0.rating) },
            semesters: semesters.map(\.code))
        return Built(plan: plan, period: period, semesters: semesters, report: EvaluationReport(input), scheme: scheme, isPublished: published)
    }
}
