import Fluent
import Foundation
import PantauDomain
import Vapor

/// The evaluation report of a plan for a semester or a year: printable page, CSV, JSON; the secretariat's notes.
struct EvaluationController {
    struct NotesForm: Content {
        let highlights: String
        let findings: String
        let followUps: String
    }

    func page(req: Request) async throws -> Response {
        try await render(req, typed: nil, errors: FormErrors(fields: Self.noteFields))
    }

    static let noteFields = ["highlights", "findings", "followUps"]
    /// The longest note the report takes; a longer one is refused with a message, never cut.
    static let noteLimit = 20_000

    func csv(req: Request) async throws -> Response {
        let document = try await document(req, withCharts: false)
        let response = Response(status: .ok, body: .init(data: try document.csv()))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.setAttachment(filename: "\(document.planCode)-\(document.period).csv")
        return response
    }

    func json(req: Request) async throws -> EvaluationDocument {
        try await document(req, withCharts: false)
    }

    func saveNotes(req: Request) async throws -> Response {
        let form = try req.decodeForm(NotesForm.self)
        let (planCode, period) = try await Self.request(req)
        let user = try req.requireUser()
        var errors = FormErrors(fields: Self.noteFields)
        for (field, text) in [("highlights", form.highlights), ("findings", form.findings), ("followUps", form.followUps)] where text.count > Self.noteLimit {
            errors.add(field, req.t("form.too_long", "\(Self.noteLimit)"))
        }
        guard errors.isEmpty else { return try await render(req, typed: form, errors: errors) }
        try await AuditLog.transaction(on: req.db, actor: user.auditActor) { db in
            let plan = try await ActionPlanModel.require(code: planCode, on: db)
            let existing = try await EvaluationNoteModel.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$period == period.description).first()
            let note = existing ?? EvaluationNoteModel()
            let before = existing.map { [$0.highlights, $0.findings, $0.followUps] }
            note.$plan.id = try plan.requireID()
            note.period = period.description
            note.highlights = form.highlights
            note.findings = form.findings
            note.followUps = form.followUps
            try await note.save(on: db)
            return ((), [AuditChange(action: "evaluation.notes", objectType: "plan", objectID: plan.id!.uuidString, before: before,
                                     after: [note.highlights, note.findings, note.followUps], reason: period.description)])
        }
        return req.redirect(to: SiteURL.evaluation.path(planCode).with(query: [(period.isYear ? "year" : "period", period.description)]), notice: "evaluation.notes_saved")
    }

    // MARK: -

    /// The plan and the period the address names; without a period, the latest published one (none yet: 404).
    static func request(_ req: Request) async throws -> (String, ReportPeriod) {
        let code: String = try req.parameters.require("code")
        let semester = (try? req.query.get(String.self, at: "period")).flatMap { $0.isEmpty ? nil : $0 }
        let year = (try? req.query.get(String.self, at: "year")).flatMap { $0.isEmpty ? nil : $0 }
        if semester == nil, year == nil {
            let plan = try await ActionPlanModel.query(on: req.db).filter(\.$code == code).with(\.$semesters).first()
                .orThrow(AppError.planNotFound(code: code))
            let latest = try await EvaluationQueries.publishedPeriods(of: plan, on: req.db).last
            return (code, try latest.orThrow(AppError.notFound(what: "results")))
        }
        return (code, try EvaluationQueries.parsePeriod(semester: semester, year: year))
    }

    /// Only published periods for the public; the secretariat and reviewers also see the report before publication.
    private func document(_ req: Request, withCharts: Bool) async throws -> EvaluationDocument {
        let (code, period) = try await Self.request(req)
        let built = try await EvaluationQueries.build(planCode: code, period: period, on: req.db)
        guard built.isPublished || req.may(.readUnpublished, plan: built.plan.id) else { throw AppError.notFound(what: "results") }
        let note = try await EvaluationNoteModel.query(on: req.db).filter(\.$plan.$id == built.plan.requireID())
            .filter(\.$period == period.description).first()
        return EvaluationDocument(built, note: note, language: req.language, localizer: req.application.localizer, withCharts: withCharts)
    }

    /// The report; `typed` and `errors` when the notes typed into its form were refused.
    private func render(_ req: Request, typed: NotesForm?, errors: FormErrors) async throws -> Response {
        let document = try await document(req, withCharts: true)
        let query = document.period.hasPrefix("B") ? "period=\(document.period)" : "year=\(document.period)"
        let plan = try await ActionPlanModel.query(on: req.db).filter(\.$code == document.planCode).with(\.$semesters).first()
        return try await req.view.render("evaluation", ReportPage(
            page: PageMeta(request: req, title: req.t("evaluation.title", document.period)), report: document, periodQuery: query,
            canEdit: req.may(.publish, plan: plan?.id), publicationReason: document.publicationReason.ifAny, periods: try await PeriodLink.load(for: plan, request: req),
            notes: typed ?? NotesForm(highlights: document.highlights, findings: document.findings, followUps: document.followUps), errors: errors))
            .encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }
}
