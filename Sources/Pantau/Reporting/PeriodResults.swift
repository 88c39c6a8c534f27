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

    /// - Parameter plan: loaded with its semesters.
    static func load(plan: ActionPlanModel, period: ReportPeriod, commitmentID: UUID? = nil, on database: any Database) async throws -> PeriodResults {
        try await load([(plan, period)], commitmentID: commitmentID, on: database)[0]
    }

    /// The results of several plans, each for its own period, in the same few queries whatever their number (the
    /// national overview reads hundreds); in the order asked.
    /// - Parameter periods: plans loaded with their semesters, each with a period it has.
    static func load(_ periods: [(plan: ActionPlanModel, period: ReportPeriod)], commitmentID: UUID? = nil,
                     on database: any Database) async throws -> [PeriodResults] {
        guard !periods.isEmpty else { return [] }
        let planIDs = try periods.map { try $0.plan.requireID() }
        let semestersOfPlan = try periods.map { try semestersOf($0.period, plan: $0.plan) }
        let schemes = try await schemes(of: periods.map(\.plan), on: database)
        let matrices = try await PlanMatrix.load(planIDs: planIDs, semesters: semestersOfPlan.flatMap { $0 }, commitmentID: commitmentID,
                                                 on: database)
        let (semesterIDs, yearPlanIDs) = owners(periods.map(\.period), planIDs: planIDs, semesters: semestersOfPlan)
        var semesterAssessments: [UUID: [UUID: Assessment]] = [:]
        for record in try await inSlices(semesterIDs, { try await CommitmentAssessmentModel.query(on: database).filter(\.$semester.$id ~~ $0).all() }) {
            semesterAssessments[record.$semester.id, default: [:]][record.commitmentID] = record.assessment
        }
        var yearAssessments: [String: [UUID: Assessment]] = [:]
        for record in try await inSlices(yearPlanIDs, { try await YearAssessmentModel.query(on: database).filter(\.$plan.$id ~~ $0).all() }) {
            yearAssessments["\(record.$plan.id)|\(record.year)", default: [:]][record.commitmentID] = record.assessment
        }
        var semesterPublications: [UUID: Publication] = [:]
        for row in try await inSlices(semesterIDs, { try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ $0).all() }) {
            semesterPublications[row.$semester.id] = Publication(at: row.publishedAt, by: row.publishedBy, reason: row.reason)
        }
        var yearPublications: [String: Publication] = [:]
        for row in try await inSlices(yearPlanIDs, { try await YearPublicationModel.query(on: database).filter(\.$plan.$id ~~ $0).all() }) {
            yearPublications["\(row.$plan.id)|\(row.year)"] = Publication(at: row.publishedAt, by: row.publishedBy, reason: row.reason)
        }
        var corrections: [String: [ResultCorrectionModel]] = [:]
        for row in try await inSlices(planIDs, { slice in
            var query = ResultCorrectionModel.query(on: database).filter(\.$plan.$id ~~ slice)
            if let commitmentID { query = query.filter(\.$commitment.$id == commitmentID) }
            return try await query.sort(\.$madeAt).all()
        }) {
            corrections["\(row.$plan.id)|\(row.period)", default: []].append(row)
        }

        return try zip(periods, zip(planIDs, semestersOfPlan)).map { entry, ids in
            let (plan, period) = entry
            let (planID, semesters) = ids
            guard let scheme = schemes[plan.$scheme.id] else { throw AppError.notFound(what: "scoring scheme") }
            let assessments: [UUID: Assessment]
            let publication: Publication?
            switch period {
            case .semester:
                let semesterID = semesters.first?.id
                assessments = semesterID.flatMap { semesterAssessments[$0] } ?? [:]
                publication = semesterID.flatMap { semesterPublications[$0] }
            case .year(let year):
                assessments = yearAssessments["\(planID)|\(year)"] ?? [:]
                publication = yearPublications["\(planID)|\(year)"]
            }
            let matrix = matrices[planID]
            let commitments = try (matrix?.commitments ?? []).map { commitment in
                let rows = matrix?.rows(of: commitment.id!) ?? []
                let assessment = assessments[commitment.id!] ?? .none
                return Commitment(model: commitment, result: try PeriodResult(outcomes: rows.map(\.outcome), scoreOverride: assessment.scoreOverride,
                                                                             scheme: scheme),
                                  assessment: assessment, rows: rows)
            }
            return PeriodResults(plan: plan, scheme: scheme, period: period, semesters: semesters, commitments: commitments,
                                 publication: publication, corrections: corrections["\(planID)|\(period.description)"] ?? [])
        }
    }

    /// Where the assessments and publications of periods are kept: a semester's with its first (only) semester, a
    /// year's with its plan (and the year).
    static func owners(_ periods: [ReportPeriod], planIDs: [UUID], semesters: [[PlanSemesterModel]]) -> (semesterIDs: [UUID], yearPlanIDs: [UUID]) {
        var semesterIDs: [UUID] = [], yearPlanIDs: [UUID] = []
        for (period, (planID, semesters)) in zip(periods, zip(planIDs, semesters)) {
            switch period {
            case .semester: if let id = semesters.first?.id { semesterIDs.append(id) }
            case .year: yearPlanIDs.append(planID)
            }
        }
        return (semesterIDs, yearPlanIDs)
    }

    /// The plans' scoring schemes, by id: the plan's own loaded scheme where it has one, else read.
    static func schemes(of plans: [ActionPlanModel], on database: any Database) async throws -> [UUID: ScoringScheme] {
        var schemes: [UUID: ScoringScheme] = [:]
        for plan in plans {
            if let model = plan.$scheme.value, let categories = model.$categories.value, let id = model.id, schemes[id] == nil {
                schemes[id] = try SchemeStore.domainScheme(model, categories: categories)
            }
        }
        let missing = Set(plans.map(\.$scheme.id)).subtracting(schemes.keys)
        guard !missing.isEmpty else { return schemes }
        for model in try await ScoringSchemeModel.query(on: database).filter(\.$id ~~ missing).with(\.$categories).all() {
            schemes[model.id!] = try SchemeStore.domainScheme(model, categories: model.categories)
        }
        return schemes
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
