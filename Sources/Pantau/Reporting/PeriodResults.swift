import Fluent
import Foundation
import PantauDomain

/// Commitments' results for one period of a plan (a semester, or a year assessed as a whole), with coverage,
/// the secretariat's assessments, the publication and its corrections. Pages, the API, open data, the
/// evaluation report and the command line all read results through this one type; the rules are the domain's.
struct PeriodResults {
    struct Commitment {
        let model: CommitmentModel
        let result: PeriodResult
        let assessment: Assessment
        let rows: [PlanMatrix.Row]

        var number: Int { model.number }
        var title: String { model.title }
        var commitmentID: UUID { model.id! }

        func categoryLabel(_ language: Language) -> String {
            result.category.map { $0.labels[language.rawValue] ?? $0.code } ?? ""
        }

        /// The public value of the result, as corrections record it.
        var value: CorrectedValue {
            CorrectedValue(score: result.finalScore, category: result.category?.code, coCreationRating: assessment.rating)
        }
    }

    struct Publication {
        let at: Date
        let by: String
        let reason: String
    }

    let plan: ActionPlanModel
    let scheme: ScoringScheme
    let period: ReportPeriod
    /// The semesters the period's results rest on, in order.
    let semesters: [PlanSemesterModel]
    let commitments: [Commitment]
    let publication: Publication?
    /// Corrections made after publication, oldest first.
    let corrections: [ResultCorrectionModel]

    var isPublished: Bool { publication != nil }

    func corrections(ofCommitment id: UUID) -> [ResultCorrectionModel] {
        corrections.filter { $0.$commitment.id == id && $0.$report.id == nil }
    }

    func corrections(ofReport id: UUID) -> [ResultCorrectionModel] {
        corrections.filter { $0.$report.id == id }
    }

    /// The plan with its scheme and semesters loaded.
    static func plan(code: String, on database: any Database) async throws -> ActionPlanModel {
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$code == code)
            .with(\.$semesters).with(\.$scheme) { $0.with(\.$categories) }.first() else { throw AppError.planNotFound(code: code) }
        return plan
    }

    static func load(planCode: String, period: ReportPeriod, commitmentID: UUID? = nil, on database: any Database) async throws -> PeriodResults {
        try await load(plan: try await plan(code: planCode, on: database), period: period, commitmentID: commitmentID, on: database)
    }

    /// - Parameter plan: loaded with its scheme (and categories) and semesters.
    static func load(plan: ActionPlanModel, period: ReportPeriod, commitmentID: UUID? = nil, on database: any Database) async throws -> PeriodResults {
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        let semesters = try semestersOf(period, plan: plan)
        let planID = try plan.requireID()
        let matrix = try await PlanMatrix.load(planID: planID, semesters: semesters, commitmentID: commitmentID, on: database)
        let assessments = try await assessmentsOf(period, planID: planID, semesters: semesters, on: database)
        let commitments = try matrix.commitments.map { commitment in
            let rows = matrix.rows(of: commitment.id!)
            let assessment = assessments[commitment.id!] ?? .none
            return Commitment(model: commitment, result: try PeriodResult(outcomes: rows.map(\.outcome), scoreOverride: assessment.scoreOverride,
                                                                         scheme: scheme),
                              assessment: assessment, rows: rows)
        }
        var correctionQuery = ResultCorrectionModel.query(on: database).filter(\.$plan.$id == planID).filter(\.$period == period.description)
        if let commitmentID { correctionQuery = correctionQuery.filter(\.$commitment.$id == commitmentID) }
        return PeriodResults(plan: plan, scheme: scheme, period: period, semesters: semesters, commitments: commitments,
                             publication: try await publication(of: period, planID: planID, semesters: semesters, on: database),
                             corrections: try await correctionQuery.sort(\.$madeAt).all())
    }

    /// The semesters a period rests on; a period the plan does not have is not found.
    static func semestersOf(_ period: ReportPeriod, plan: ActionPlanModel) throws -> [PlanSemesterModel] {
        let schedule = plan.semesters.compactMap { model -> (Semester, PlanSemesterModel)? in
            guard let start = CalendarDay(iso: model.startDate), let end = CalendarDay(iso: model.endDate) else { return nil }
            return (Semester(code: model.code, month: model.month, startDay: start, endDay: end), model)
        }
        let codes = PeriodResult.semesters(of: period, in: schedule.map(\.0)).map(\.code)
        let semesters = codes.compactMap { code in schedule.first { $0.0.code == code }?.1 }
        guard !semesters.isEmpty else { throw AppError.notFound(what: "semester") }
        return semesters
    }

    static func publication(of period: ReportPeriod, planID: UUID, semesters: [PlanSemesterModel], on database: any Database) async throws -> Publication? {
        switch period {
        case .semester:
            guard let id = semesters.first?.id,
                  let row = try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id == id).first() else { return nil }
            return Publication(at: row.publishedAt, by: row.publishedBy, reason: row.reason)
        case .year(let year):
            guard let row = try await YearPublicationModel.query(on: database).filter(\.$plan.$id == planID).filter(\.$year == year).first()
            else { return nil }
            return Publication(at: row.publishedAt, by: row.publishedBy, reason: row.reason)
        }
    }

    private static func assessmentsOf(_ period: ReportPeriod, planID: UUID, semesters: [PlanSemesterModel],
                                      on database: any Database) async throws -> [UUID: Assessment] {
        let records: [any AssessmentRecord]
        switch period {
        case .semester:
            guard let id = semesters.first?.id else { return [:] }
            records = try await CommitmentAssessmentModel.query(on: database).filter(\.$semester.$id == id).all()
        case .year(let year):
            records = try await YearAssessmentModel.query(on: database).filter(\.$plan.$id == planID).filter(\.$year == year).all()
        }
        var byCommitment: [UUID: Assessment] = [:]
        for record in records { byCommitment[record.commitmentID] = record.assessment }
        return byCommitment
    }
}

/// A stored assessment of a commitment: a semester's or a year's.
protocol AssessmentRecord: Model {
    var commitmentID: UUID { get }
    var scoreOverride: Int? { get set }
    var overrideReason: String { get set }
    var coCreationRating: CoCreationRating? { get set }
    var coCreationJustification: String { get set }
}

extension AssessmentRecord {
    /// The stored values; they were checked when saved, so they are taken as they are.
    var assessment: Assessment {
        Assessment(stored: scoreOverride, overrideReason: overrideReason, rating: coCreationRating, justification: coCreationJustification)
    }

    func store(_ assessment: Assessment) {
        scoreOverride = assessment.scoreOverride
        overrideReason = assessment.overrideReason
        coCreationRating = assessment.rating
        coCreationJustification = assessment.justification
    }
}

extension CommitmentAssessmentModel: AssessmentRecord {
    var commitmentID: UUID { $commitment.id }
}

extension YearAssessmentModel: AssessmentRecord {
    var commitmentID: UUID { $commitment.id }
}
