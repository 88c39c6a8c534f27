import Fluent
import Foundation
import PantauDomain
import Vapor

/// Implementers' pages: the targets their organisation owes, and the report on each.
struct ReportController {
    /// The one report form: text, progress, the answer to a clarification request, new evidence, and which button was
    /// pressed (save, submit, or an evidence item's remove / make public / make internal).
    struct ReportForm: Content {
        var achievement: String?
        var progress: String?
        var answer: String?
        var file: File?
        var link: String?
        var description: String?
        /// `public` or `internal` (the default).
        var visibility: String?
        /// `save` or `submit`.
        var action: String?
        var remove: String?
        var makePublic: String?
        var makeInternal: String?

        var values: FormValues {
            FormValues(achievement: achievement ?? "", progress: progress ?? "", answer: answer ?? "", link: link ?? "",
                       description: description ?? "", isPublic: visibility == "public")
        }
    }

    /// Targets of the signed-in implementer's organisation in semesters whose reporting is open for them.
    func owed(req: Request) async throws -> View {
        let user = try req.requireUser()
        let organisationID = try user.organisationID.orThrow(AppError.forbidden)
        let owed = try await ReportingQueries.owedTargets(organisationID: organisationID, on: req.db, today: req.today).map {
            OwedTarget(targetID: $0.targetID, planCode: $0.planCode, commitmentNumber: $0.commitmentNumber, measure: $0.measure,
                       target: $0.target, semester: $0.semester, statusKey: "report.status." + $0.status, closes: $0.closes)
        }
        return try await req.view.render("report-list", OwedPage(page: PageMeta(request: req, title: req.t("report.title")),
                                                                 targets: owed, hasTargets: !owed.isEmpty))
    }

    func show(req: Request) async throws -> Response {
        try await render(req, typed: nil, errors: Self.noErrors)
    }

    /// Saves whatever the form carries in one change; on success back to the report (Post/Redirect/Get), else the same
    /// form with what was typed and the message beside its field.
    func save(req: Request) async throws -> Response {
        let form = try req.decodeForm(ReportForm.self)
        let id = try targetID(req)
        var change = ReportService.ReportChange()
        change.achievement = form.achievement
        if let text = form.progress?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let progress = Int(text) else {
                var errors = Self.noErrors
                errors.add("progress", req.t("report.progress_not_number", text))
                return try await render(req, typed: form.values, errors: errors)
            }
            change.progress = progress
        }
        change.answer = form.answer
        let file = form.file.flatMap { $0.data.readableBytes > 0 || !$0.filename.isEmpty ? (name: $0.filename, data: Data(buffer: $0.data)) : nil }
        let link = form.link?.trimmingCharacters(in: .whitespaces) ?? ""
        if file != nil || !link.isEmpty {
            change.newEvidence = ReportService.NewEvidence(file: file, link: file == nil ? link : nil, description: form.description ?? "",
                                                          isPublic: form.visibility == "public")
        }
        change.removeEvidence = form.remove.flatMap(UUID.init(uuidString:))
        if let id = form.makePublic.flatMap(UUID.init(uuidString:)) { change.evidenceVisibility = (id, true) }
        if let id = form.makeInternal.flatMap(UUID.init(uuidString:)) { change.evidenceVisibility = (id, false) }
        change.submit = form.action == "submit" && change.removeEvidence == nil && change.evidenceVisibility == nil
        do {
            try await ReportService.apply(change, targetID: id, store: req.application.evidenceStore, by: try req.requireUser(),
                                          on: req.db, now: req.now, today: req.today)
        } catch let error as FieldError {
            var errors = Self.noErrors
            errors.add(error, on: req)
            return try await render(req, typed: form.values, errors: errors)
        } catch {
            // What the form cannot fix (not theirs, gone) gets the error page; a refusal is shown on the form, with the text.
            var errors = Self.noErrors
            try errors.add("form", error, on: req)
            return try await render(req, typed: form.values, errors: errors)
        }
        let notice = if change.submit { "report.submitted_message" }
            else if change.removeEvidence != nil { "evidence.removed" }
            else if change.evidenceVisibility != nil { "evidence.visibility_changed" }
            else if change.newEvidence != nil { "evidence.added" }
            else { "report.saved" }
        return req.redirect(to: SiteURL.reportTarget.path(id), notice: notice)
    }

    // MARK: -

    private func targetID(_ req: Request) throws -> UUID { try req.idParameter() }

    /// The report page, for the organisation the report belongs to (`ReportService.owner`); before the first save it
    /// shows an empty report of the target.
    /// The fields of the report form that can carry a message.
    private static let noErrors = FormErrors(fields: ["form", "achievement", "progress", "answer", "evidence"])

    private func render(_ req: Request, typed: FormValues?, errors: FormErrors) async throws -> Response {
        let user = try req.requireUser()
        let id = try targetID(req)
        let context = try await ReportService.context(targetID: id, on: req.db)
        let report = try await TargetReportModel.query(on: req.db).filter(\.$target.$id == id).first()
        guard ReportService.owner(of: context, report: report) == user.organisationID else { throw AppError.forbidden }
        var view: ReportQueries.ReportView
        if let existing = try await ReportQueries.reports({ $0.filter(\.$target.$id == id) }, language: req.language, viewer: user.caller,
                                                          on: req.db).first {
            view = existing
        } else {
            // Before the first save: an empty report of the target, shown as not started.
            let found = try await TargetModel.query(on: req.db).filter(\.$id == id)
                .with(\.$semester) { $0.with(\.$plan) { $0.with(\.$scheme) { $0.with(\.$categories) } } }
                .with(\.$measure) { $0.with(\.$goal) { $0.with(\.$commitment) }.with(\.$responsible) }
                .first()
            guard let target = found else { throw AppError.notFound(what: "target") }
            let empty = TargetReportModel(targetID: id, organisationID: ReportService.owner(of: context, report: nil))
            empty.id = UUID()
            empty.$target.value = target
            empty.$organisation.value = target.measure.responsible
            empty.$evidence.value = []
            empty.$messages.value = []
            view = try ReportQueries.view(empty, language: req.language, viewer: user.caller)
            view.statusKey = "report.status.not_started"
        }
        // The same rule the save applies: when it would refuse, the form is not offered and the reason is shown. After a
        // refused save the form stays, with what was typed and the refusal above it, so nothing typed is lost.
        var closedReason: String?
        if view.isEditable, typed == nil {
            do {
                try ReportService.checkImplementer(user, may: context, report: report, today: req.today)
            } catch let refusal as any LocalizableError {
                view.isEditable = false
                closedReason = req.application.localizer.message(for: refusal, req.language)
            }
        }
        let stored = FormValues(achievement: view.achievement, progress: report == nil ? "" : String(view.progress), answer: "",
                                link: "", description: "", isPublic: false)
        let page = ReportPage(page: PageMeta(request: req, title: req.t("report.title")), report: view, form: typed ?? stored,
                              errors: errors, hasErrors: !errors.isEmpty, closedReason: closedReason,
                              history: try await HistoryView.entries(objectType: "report", objectID: view.id, request: req))
        return try await req.view.render("report", page).encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
