import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's verification: the queue of handed-in reports, each report's page with its
/// clarification thread and score, and each commitment's assessment. Reviewers read all of it and comment.
struct VerifyController {
    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct QueuePage: Encodable {
        let page: PageMeta
        let reports: [ReportQueries.ReportView]
        let hasReports: Bool
        let plans: [Option]
        let semesters: [Option]
        let statuses: [Option]
        let organisations: [Option]
    }

    struct ReportPage: Encodable {
        let page: PageMeta
        let report: ReportQueries.ReportView
        let canScore: Bool
        /// The semester is published: a score is a correction and takes a reason.
        let isPublished: Bool
        let history: [HistoryView]
    }

    struct AssessmentRow: Encodable {
        let commitmentID: String
        let number: Int
        let title: String
        let defaultScore: String
        let scoreOverride: String
        let overrideReason: String
        let finalScore: String
        let categoryLabel: String
        let rating: String
        let ratingLabel: String
        let ratings: [Option]
        let justification: String
        let scoredTargets: Int
        let reportedTargets: Int
        let targets: Int
        let corrections: [CorrectionView]
        let hasCorrections: Bool
        let correctionCount: Int
    }

    struct AssessmentsPage: Encodable {
        let page: PageMeta
        let planCode: String
        let planTitle: String
        /// `B12` or `2021`.
        let period: String
        let isYear: Bool
        let rows: [AssessmentRow]
        let canEdit: Bool
        let isPublished: Bool
        let publishPath: String
    }

    struct ScoreForm: Content {
        let score: String?
        let notApplicable: String?
        let reason: String?
        let correctionReason: String?
    }

    struct MessageForm: Content {
        let body: String
    }

    struct AssessmentForm: Content {
        let scoreOverride: String?
        let overrideReason: String?
        let rating: String?
        let justification: String?
        let correctionReason: String?
    }

    func queue(req: Request) async throws -> View {
        let plan = (try? req.query.get(String.self, at: "plan")).flatMap { $0.isEmpty ? nil : $0 }
        let semester = (try? req.query.get(String.self, at: "semester")).flatMap { $0.isEmpty ? nil : $0 }
        let status = (try? req.query.get(String.self, at: "status")).flatMap(ReportStatus.init(rawValue:))
        let organisation = (try? req.query.get(String.self, at: "organisation")).flatMap { $0.isEmpty ? nil : $0 }
        var reports = try await ReportQueries.reports({ query in
            let query = query.filter(\.$status != .draft)
            return status.map { query.filter(\.$status == $0) } ?? query
        }, language: req.language, viewer: req.currentUser?.role, on: req.db)
        if let plan { reports = reports.filter { $0.planCode == plan } }
        if let semester { reports = reports.filter { $0.semester == semester } }
        let reportingOrganisations = Set(reports.map(\.organisation)).sorted()
        if let organisation { reports = reports.filter { $0.organisation == organisation } }
        let plans = try await ActionPlanModel.query(on: req.db).sort(\.$code).all()
        return try await req.view.render("verify-queue", QueuePage(
            page: PageMeta(request: req, title: req.t("verify.title")), reports: reports, hasReports: !reports.isEmpty,
            plans: plans.map { Option(value: $0.code, label: $0.code, selected: $0.code == plan) },
            semesters: ["B06", "B12", "B18", "B24"].map { Option(value: $0, label: $0, selected: $0 == semester) },
            statuses: [ReportStatus.submitted, .clarificationRequested, .scored].map {
                Option(value: $0.rawValue, label: req.t("report.status." + $0.rawValue), selected: $0 == status)
            },
            organisations: reportingOrganisations.map { Option(value: $0, label: $0, selected: $0 == organisation) }))
    }

    func report(req: Request) async throws -> View {
        try await render(req)
    }

    func clarify(req: Request) async throws -> Response {
        let form = try req.decodeForm(MessageForm.self)
        try await ReportService.postMessage(reportID: try reportID(req), body: form.body, asksClarification: true,
                                            by: try req.requireUser(), on: req.db, today: req.today)
        return req.redirect(to: "/verify/reports/\(try reportID(req).uuidString)", notice: "verify.clarification_sent")
    }

    func comment(req: Request) async throws -> Response {
        let form = try req.decodeForm(MessageForm.self)
        try await ReportService.postMessage(reportID: try reportID(req), body: form.body, asksClarification: false,
                                            by: try req.requireUser(), on: req.db, today: req.today)
        return req.redirect(to: "/verify/reports/\(try reportID(req).uuidString)", notice: "verify.staff_note_saved")
    }

    func score(req: Request) async throws -> Response {
        let form = try req.decodeForm(ScoreForm.self)
        let notApplicable = form.notApplicable == "on"
        var points: Int?
        if !notApplicable {
            guard let text = form.score?.trimmingCharacters(in: .whitespaces), let value = Int(text) else {
                throw AppError.invalid(key: "score.not_a_number", arguments: [form.score ?? ""])
            }
            points = value
        }
        try await ReportService.score(reportID: try reportID(req), points: points, notApplicableReason: notApplicable ? form.reason : nil,
                                      correctionReason: form.correctionReason ?? "", by: try req.requireUser(), on: req.db,
                                      now: req.now, today: req.today)
        return req.redirect(to: "/verify/reports/\(try reportID(req).uuidString)", notice: "verify.scored")
    }

    func assessments(req: Request) async throws -> View {
        try await renderAssessments(req)
    }

    func assess(req: Request) async throws -> Response {
        let form = try req.decodeForm(AssessmentForm.self)
        let commitmentID = try req.idParameter("commitment")
        let (code, period) = try Self.period(req)
        guard let commitment = try await CommitmentModel.find(commitmentID, on: req.db) else { throw AppError.notFound(what: "commitment") }
        let overrideText = form.scoreOverride?.trimmingCharacters(in: .whitespaces) ?? ""
        var scoreOverride: Int?
        if !overrideText.isEmpty {
            guard let value = Int(overrideText) else { throw AppError.invalid(key: "score.not_a_number", arguments: [overrideText]) }
            scoreOverride = value
        }
        let ratingText = form.rating ?? ""
        var rating: CoCreationRating?
        if !ratingText.isEmpty {
            guard let value = CoCreationRating(rawValue: ratingText) else { throw AppError.invalid(key: "assessment.unknown_rating", arguments: [ratingText]) }
            rating = value
        }
        let assessment = try Assessment(scoreOverride: scoreOverride, overrideReason: form.overrideReason ?? "", rating: rating,
                                        justification: form.justification ?? "")
        try await ResultsService.assess(planCode: code, period: period, commitmentNumber: commitment.number, assessment: assessment,
                                        correctionReason: form.correctionReason ?? "", by: try req.requireUser(), now: req.now, on: req.db)
        return req.redirect(to: "/verify/plans/\(code)/\(period.description)", notice: "verify.assessment_saved")
    }

    /// The plan code and the period (`B12` or `2021`) of a verification address.
    static func period(_ req: Request) throws -> (String, ReportPeriod) {
        let code: String = try req.parameters.require("code")
        guard let period = req.parameters.get("period").flatMap(ReportPeriod.init(text:)) else { throw AppError.notFound(what: "semester") }
        return (code, period)
    }

    // MARK: -

    private func reportID(_ req: Request) throws -> UUID { try req.idParameter() }

    private func render(_ req: Request) async throws -> View {
        let id = try reportID(req)
        guard let report = try await ReportQueries.reports({ $0.filter(\.$id == id) }, language: req.language, viewer: req.currentUser?.role, on: req.db).first else {
            throw AppError.notFound(what: "report")
        }
        return try await req.view.render("verify-report", ReportPage(
            page: PageMeta(request: req, title: req.t("verify.report_title")), report: report,
            canScore: req.currentUser?.role == .secretariat,
            isPublished: try await SemesterService.isPublished(semesterID: try UUID(uuidString: report.semesterID).orThrow(AppError.notFound(what: "report")),
                                                               on: req.db),
            history: try await HistoryView.entries(objectType: "report", objectID: report.id, request: req)))
    }

    private func renderAssessments(_ req: Request) async throws -> View {
        let (code, period) = try Self.period(req)
        let results = try await PeriodResults.load(planCode: code, period: period, on: req.db)
        return try await req.view.render("verify-assessments", AssessmentsPage(
            page: PageMeta(request: req, title: req.t("verify.assessments_title")), planCode: code,
            planTitle: results.plan.title, period: period.description, isYear: period.isYear,
            rows: results.commitments.map { row in
                let rating = row.assessment.rating
                let corrections = results.corrections(ofCommitment: row.commitmentID).map { CorrectionView($0, scheme: results.scheme, request: req) }
                return AssessmentRow(
                    commitmentID: row.commitmentID.uuidString, number: row.number, title: row.title,
                    defaultScore: row.result.defaultScore.map(String.init) ?? "–", scoreOverride: row.result.scoreOverride.map(String.init) ?? "",
                    overrideReason: row.assessment.overrideReason, finalScore: row.result.finalScore.map(String.init) ?? "–",
                    categoryLabel: row.categoryLabel(req.language), rating: rating?.rawValue ?? "",
                    ratingLabel: rating.map { req.t("rating." + $0.rawValue) } ?? "–",
                    ratings: CoCreationRating.allCases.map { Option(value: $0.rawValue, label: req.t("rating." + $0.rawValue), selected: $0 == rating) },
                    justification: row.assessment.justification,
                    scoredTargets: row.result.coverage.scored, reportedTargets: row.result.coverage.reported, targets: row.result.coverage.targets,
                    corrections: corrections, hasCorrections: !corrections.isEmpty, correctionCount: corrections.count)
            },
            canEdit: req.currentUser?.role == .secretariat, isPublished: results.isPublished,
            publishPath: "/admin/plans/\(code)/publish/\(period.description)"))
    }
}
