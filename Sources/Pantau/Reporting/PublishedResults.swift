import Fluent
import Foundation
import PantauDomain
import Vapor

/// What the public sees of a commitment's results: only published periods (semesters and years), with the
/// coverage each result rests on, a mark for every target without a verified report, and every correction.
enum PublishedResults {
    struct TargetResult: Encodable {
        /// `scored`, `not_scored` (reported, no score) or `not_reported`.
        let state: String
        let stateKey: String
        let isScored: Bool
        let score: String
        let categoryLabel: String
        let categoryCode: String
        let achievement: String
        let progress: Int
        let notApplicableReason: String
        let notApplicable: Bool
        let evidence: [ReportQueries.EvidenceView]
        let hasEvidence: Bool
        let corrections: [CorrectionView]
        let hasCorrections: Bool
    }

    struct CommitmentResult: Encodable {
        /// The semester code or the year.
        let semester: String
        let isYear: Bool
        let score: String
        /// The score as a number, for the chart; nil when the commitment has none.
        let scoreValue: Int?
        let categoryLabel: String
        let categoryCode: String
        let scoredTargets: Int
        let targets: Int
        let ratingKey: String
        let hasRating: Bool
        let justification: String
        let publishedAt: String
        /// Why it was published although incomplete; nil when it was complete.
        let publicationReason: String?
        let corrections: [CorrectionView]
        let hasCorrections: Bool
    }

    /// Target results keyed by "goal.measure.semester" numbers as the commitment page counts them, and the
    /// commitment's results per published semester, then per published year.
    static func targets(commitmentNumber: Int, planCode: String, request: Request) async throws
        -> (targets: [String: TargetResult], commitment: [CommitmentResult]) {
        let database = request.db
        let language = request.language
        let plan = try await PeriodResults.plan(code: planCode, on: database)
        guard let commitment = try await CommitmentModel.query(on: database).filter(\.$plan.$id == plan.requireID())
            .filter(\.$number == commitmentNumber).first() else { return ([:], []) }
        let semesters = plan.semesters.sorted { $0.month < $1.month }
        let publishedSemesters = Set(try await SemesterPublicationModel.query(on: database)
            .filter(\.$semester.$id ~~ semesters.compactMap(\.id)).all().map { $0.$semester.id })
        let publishedYears = Set(try await YearPublicationModel.query(on: database).filter(\.$plan.$id == plan.requireID()).all().map(\.year))
        let periods: [ReportPeriod] = semesters.filter { publishedSemesters.contains($0.id!) }.map { .semester($0.code) }
            + publishedYears.sorted().map { .year($0) }
        guard !periods.isEmpty else { return ([:], []) }

        var targets: [String: TargetResult] = [:]
        var results: [CommitmentResult] = []
        for period in periods {
            let loaded = try await PeriodResults.load(plan: plan, period: period, commitmentID: commitment.requireID(), on: database)
            guard let row = loaded.commitments.first else { continue }
            let corrections = loaded.corrections(ofCommitment: row.commitmentID).map { CorrectionView($0, scheme: loaded.scheme, request: request) }
            results.append(CommitmentResult(
                semester: period.description, isYear: period.isYear, score: row.result.finalScore.map(String.init) ?? "–",
                scoreValue: row.result.finalScore,
                categoryLabel: row.categoryLabel(language), categoryCode: row.result.category?.code ?? EvaluationReport.notYet,
                scoredTargets: row.result.coverage.scored, targets: row.result.coverage.targets,
                ratingKey: row.assessment.rating.map { "rating." + $0.rawValue } ?? "", hasRating: row.assessment.rating != nil,
                justification: row.assessment.justification,
                publishedAt: loaded.publication.map { Formatting.jakartaTime($0.at) } ?? "", publicationReason: loaded.publication?.reason.ifAny,
                corrections: corrections, hasCorrections: !corrections.isEmpty))
            guard case .semester = period else { continue }
            let evidence = try await publicEvidence(row.rows.compactMap { $0.report?.id }, on: database)
            for target in row.rows {
                let key = "\(target.goal.position + 1).\(target.measure.position + 1).\(target.semester.code)"
                targets[key] = targetResult(target, scheme: loaded.scheme, evidence: evidence,
                                            corrections: target.report.map { loaded.corrections(ofReport: $0.id!) } ?? [], request: request)
            }
        }
        return (targets, results)
    }

    private static func targetResult(_ row: PlanMatrix.Row, scheme: ScoringScheme, evidence: [UUID: [EvidenceModel]],
                                     corrections: [ResultCorrectionModel], request: Request) -> TargetResult {
        let language = request.language
        guard let report = row.report, ReportLifecycle.isPublic(report.status, semesterPublished: true) else {
            // Never a bare dash: a published semester's target says why it has no result.
            let state = row.outcome.reported ? "not_scored" : "not_reported"
            return TargetResult(state: state, stateKey: "result.state." + state, isScored: false, score: "", categoryLabel: "",
                                categoryCode: state, achievement: "", progress: 0, notApplicableReason: "", notApplicable: false,
                                evidence: [], hasEvidence: false, corrections: [], hasCorrections: false)
        }
        let category = report.domainScore.flatMap { try? scheme.category(for: $0) }
        let files = (evidence[report.id!] ?? []).map { ReportQueries.evidenceView($0) }
        let correctionViews = corrections.map { CorrectionView($0, scheme: scheme, request: request) }
        return TargetResult(
            state: "scored", stateKey: "result.state.scored", isScored: true,
            score: report.notApplicable ? "N/A" : report.score.map(String.init) ?? "",
            categoryLabel: report.notApplicable ? "" : category.map { $0.labels[language.rawValue] ?? $0.code } ?? "",
            categoryCode: category?.code ?? EvaluationReport.notYet, achievement: report.achievement, progress: report.progress,
            notApplicableReason: report.notApplicableReason, notApplicable: report.notApplicable, evidence: files, hasEvidence: !files.isEmpty,
            corrections: correctionViews, hasCorrections: !correctionViews.isEmpty)
    }

    /// Public evidence of the given reports, grouped by report.
    private static func publicEvidence(_ reportIDs: [UUID], on database: any Database) async throws -> [UUID: [EvidenceModel]] {
        guard !reportIDs.isEmpty else { return [:] }
        let evidence = try await EvidenceModel.query(on: database).filter(\.$report.$id ~~ reportIDs).filter(\.$isPublic == true).all()
        return Dictionary(grouping: evidence.sorted { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }, by: { $0.$report.id })
    }
}
