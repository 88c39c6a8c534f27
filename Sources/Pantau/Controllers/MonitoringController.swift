import Fluent
import Foundation
import PantauDomain
import Vapor

/// Independent monitoring: a plan's monitors write and publish their assessment of each commitment per semester,
/// beside the secretariat's result for the same semester, which they read but never change.
struct MonitoringController {
    /// What a monitor typed into one commitment's form.
    struct AssessmentForm: Content {
        var rating: String?
        var text: String?
        /// `publish` or `draft`: which button was pressed.
        var action: String?
    }

    func page(req: Request) async throws -> Response {
        try await render(req, refused: nil)
    }

    func save(req: Request) async throws -> Response {
        let semester = try await PlanSemesterModel.find(req)
        guard let number = req.parameters.get("number", as: Int.self) else { throw AppError.notFound(what: "commitment") }
        let form = try req.decodeForm(AssessmentForm.self)
        do {
            try await MonitoringService.save(planCode: semester.plan.code, semester: semester.code, commitmentNumber: number,
                                             rating: form.rating, text: form.text, publish: form.action == "publish",
                                             by: try req.requireUser(), now: req.now, today: req.today, on: req.db)
        } catch {
            // The page again with this commitment's form as it was typed and the message beside its field.
            let appError = AppError.from(error)
            guard [.unprocessableEntity, .conflict].contains(appError.status) else { throw error }
            return try await render(req, refused: Refused(number: number, form: form, field: (error as? FieldError)?.field ?? "",
                                                           message: req.application.localizer.message(for: appError, req.language),
                                                           status: appError.status))
        }
        let path = SiteURL.monitoring.path(semester.plan.code, semester.code) + "#commitment-\(number)"
        return req.redirect(to: path, notice: form.action == "publish" ? "monitoring.published" : "monitoring.saved")
    }

    private struct Refused {
        let number: Int
        let form: AssessmentForm
        let field: String
        let message: String
        let status: HTTPResponseStatus
    }

    private func render(_ req: Request, refused: Refused?) async throws -> Response {
        let semester = try await PlanSemesterModel.find(req)
        let plan = semester.plan
        let planID = try plan.requireID()
        guard req.may(.assessIndependently, plan: planID) else { throw AppError.forbidden }
        let results = try await PeriodResults.load(planCode: plan.code, period: .semester(semester.code), on: req.db)
        let entries = try await MonitoringService.entries(planID: planID, withDrafts: true, on: req.db)
            .filter { $0.semester == semester.code }
        let byCommitment = Dictionary(entries.map { ($0.commitmentNumber, $0) }) { first, _ in first }
        let semesters = try await PlanSemesterModel.query(on: req.db).filter(\.$plan.$id == planID).sort(\.$month).all()
        let rows = results.commitments.map { row -> Row in
            let entry = byCommitment[row.number]
            let typed = refused.flatMap { $0.number == row.number ? $0 : nil }
            let rating = typed.map { $0.form.rating ?? "" } ?? entry?.rating.rawValue ?? ""
            return Row(
                number: row.number, title: row.title, anchor: "commitment-\(row.number)",
                score: row.result.finalScore.map(String.init) ?? "–", categoryLabel: row.categoryLabel(req.language),
                scoredTargets: row.result.coverage.scored, targets: row.result.coverage.targets,
                ratingField: SelectField(id: "rating-\(row.number)", name: "rating", emptyLabel: "–", options: CompletionRating.allCases.map {
                    .init(value: $0.rawValue, label: req.t("completion." + $0.rawValue), selected: $0.rawValue == rating)
                }),
                text: typed.map { $0.form.text ?? "" } ?? entry?.text ?? "",
                stateKey: entry.map { "monitoring.state." + $0.state.rawValue },
                publishedAt: entry?.publishedAt.map { ReportingCalendar.day(of: $0).iso },
                isPublished: entry?.state == .published,
                ratingError: typed.flatMap { $0.field == "rating" ? $0.message : nil },
                textError: typed.flatMap { $0.field == "text" ? $0.message : nil },
                error: typed.flatMap { $0.field.isEmpty ? $0.message : nil },
                action: SiteURL.monitorAssess.path(plan.code, semester.code, row.number))
        }
        return try await req.view.render("monitoring", Page(
            page: PageMeta(request: req, title: req.t("monitoring.title", semester.code)), planCode: plan.code, planTitle: plan.title,
            semester: semester.code, secretariatPublished: results.isPublished,
            semesters: semesters.map { SemesterLink(code: $0.code, path: SiteURL.monitoring.path(plan.code, $0.code), isCurrent: $0.code == semester.code) },
            rows: rows)).encodeResponse(status: refused?.status ?? .ok, for: req)
    }

    struct Page: Encodable {
        let page: PageMeta
        let planCode: String
        let planTitle: String
        let semester: String
        /// The secretariat has published the semester's results (else they are its work in progress).
        let secretariatPublished: Bool
        let semesters: [SemesterLink]
        let rows: [Row]
    }

    struct SemesterLink: Encodable {
        let code: String
        let path: String
        let isCurrent: Bool
    }

    struct Row: Encodable {
        let number: Int
        let title: String
        let anchor: String
        let score: String
        let categoryLabel: String
        let scoredTargets: Int
        let targets: Int
        let ratingField: SelectField
        let text: String
        let stateKey: String?
        let publishedAt: String?
        let isPublished: Bool
        let ratingError: String?
        let textError: String?
        let error: String?
        let action: String
    }
}
